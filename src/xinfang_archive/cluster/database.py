"""The PostgreSQL database under an archive on RelStorage.

Each process keeps one connection of its own per database (autocommit,
one per thread) for what it reads or writes outside a ZODB commit: the
search follower, rate limits, job locks.  The tables are made the first
time a process needs them (``ensure_schema``), under a lock, so hosts
starting together do not race to create them.
"""

from contextlib import contextmanager
from relstorage.storage import RelStorage

import psycopg2
import threading


# Advisory locks of the archive use PostgreSQL's two-integer key space,
# which never meets RelStorage's one-integer locks (object ids, -1 commit,
# -2 pack). 0x5846 is "XF".
LOCK_SPACE = 0x5846
SCHEMA_LOCK = 0
COMMIT_LOCK = 1
RATE_LOCK = 2
THROTTLE_LOCK = 3
JOB_LOCKS = 100  # + a job's number (``jobs``)

SCHEMA = """
CREATE TABLE IF NOT EXISTS xinfang_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS xinfang_search_seq;
CREATE TABLE IF NOT EXISTS xinfang_search_log (
    uid text PRIMARY KEY,
    seq bigint NOT NULL,
    stamp text,
    doc text
);
CREATE INDEX IF NOT EXISTS xinfang_search_log_seq ON xinfang_search_log (seq);
INSERT INTO xinfang_meta (key, value) VALUES ('search_epoch', md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (key) DO NOTHING;
CREATE TABLE IF NOT EXISTS xinfang_ratelimit (
    client text NOT NULL,
    at double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS xinfang_ratelimit_client ON xinfang_ratelimit (client, at);
CREATE INDEX IF NOT EXISTS xinfang_ratelimit_at ON xinfang_ratelimit (at);
CREATE TABLE IF NOT EXISTS xinfang_login_throttle (
    source text PRIMARY KEY,
    started double precision NOT NULL,
    written integer NOT NULL,
    left_out integer NOT NULL
);
CREATE INDEX IF NOT EXISTS xinfang_login_throttle_started ON xinfang_login_throttle (started);
CREATE TABLE IF NOT EXISTS xinfang_audit (
    seq bigint PRIMARY KEY,
    time text COLLATE "C" NOT NULL,
    actor text COLLATE "C" NOT NULL,
    action text COLLATE "C" NOT NULL,
    object_uid text COLLATE "C" NOT NULL,
    object_path text COLLATE "C" NOT NULL,
    object_title text NOT NULL,
    details text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS xinfang_audit_actor_time ON xinfang_audit (actor, time);
CREATE INDEX IF NOT EXISTS xinfang_audit_action_time ON xinfang_audit (action, time);
CREATE INDEX IF NOT EXISTS xinfang_audit_time ON xinfang_audit (time);
CREATE INDEX IF NOT EXISTS xinfang_audit_object_uid ON xinfang_audit (object_uid);
CREATE INDEX IF NOT EXISTS xinfang_audit_object_path ON xinfang_audit (object_path);
CREATE OR REPLACE FUNCTION xinfang_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: entries cannot be changed or deleted (%)', TG_OP;
END $$;
CREATE OR REPLACE TRIGGER xinfang_audit_no_change BEFORE UPDATE OR DELETE ON xinfang_audit
    FOR EACH ROW EXECUTE FUNCTION xinfang_audit_append_only();
CREATE OR REPLACE TRIGGER xinfang_audit_no_truncate BEFORE TRUNCATE ON xinfang_audit
    FOR EACH STATEMENT EXECUTE FUNCTION xinfang_audit_append_only();
"""

_ready = set()
_ready_lock = threading.Lock()
_local = threading.local()


def relstorage_of(db):
    """The RelStorage under a ZODB ``DB`` (None for ZEO, FileStorage, DemoStorage)."""
    storage = getattr(db, "storage", None)
    return storage if isinstance(storage, RelStorage) else None


def dsn_of(storage):
    """The libpq address RelStorage connects with."""
    return storage._adapter.connmanager._dsn


def connect(dsn, application_name="xinfang_archive"):
    connection = psycopg2.connect(dsn, application_name=application_name[:63])
    connection.autocommit = True
    return connection


def connection_for(dsn):
    """This thread's own connection to ``dsn`` (reopened when it broke)."""
    connections = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = {}
    connection = connections.get(dsn)
    if connection is None or connection.closed:
        ensure_schema(dsn)
        connection = connections[dsn] = connect(dsn)
    return connection


def forget_connection(dsn):
    """Close this thread's connection after an error; the next use reconnects."""
    connection = getattr(_local, "connections", {}).pop(dsn, None)
    if connection is not None:
        connection.close()


def ensure_schema(dsn):
    with _ready_lock:
        if dsn in _ready:
            return
        connection = connect(dsn)
        try:
            connection.autocommit = False
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SPACE, SCHEMA_LOCK)
                )
                cursor.execute(SCHEMA)
            connection.commit()
        finally:
            connection.close()
        _ready.add(dsn)


@contextmanager
def locked_transaction(dsn, lock):
    """A short transaction on this thread's connection, under the archive's
    advisory lock ``lock`` (writers of the same table wait for each other):
    committed at the end, rolled back (and the connection dropped) on error."""
    connection = connection_for(dsn)
    connection.autocommit = False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SPACE, lock))
            yield cursor
        connection.commit()
    except BaseException:
        if not connection.closed:
            connection.rollback()
        forget_connection(dsn)
        raise
    finally:
        if not connection.closed:
            connection.autocommit = True


def database_time(cursor):
    """The database's clock in seconds since the epoch: one clock for every
    host (theirs may differ)."""
    cursor.execute("SELECT extract(epoch FROM clock_timestamp())::double precision")
    return cursor.fetchone()[0]
