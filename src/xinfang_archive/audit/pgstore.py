"""The audit trail of an archive in PostgreSQL: one chain for every host.

The same trail as ``store.AuditStore`` (same columns, hash chain, search
and verification), kept in the archive's PostgreSQL database (table
``xinfang_audit``, made by ``cluster.database``, with triggers refusing
``UPDATE``, ``DELETE`` and ``TRUNCATE``).  A transaction's entries are
written on RelStorage's own connection inside the ZODB commit, under the
archive's commit lock (``cluster.commit``): they commit with what they
describe or not at all, and every host appends to one chain in commit
order.  Entries true whatever a transaction does (``append``: a failed
login) take the same lock in a transaction of their own.

The SQL is the SQLite store's: the adapter below turns its ``?``
placeholders into psycopg2's and its table name into this one's.  Only the
hashed text is assembled in Python instead of by SQLite's ``json_quote``.
"""

from xinfang_archive.audit.store import _prepare
from xinfang_archive.audit.store import _Scan
from xinfang_archive.audit.store import _SELECT
from xinfang_archive.audit.store import AuditStore
from xinfang_archive.audit.store import canonical_json
from xinfang_archive.audit.store import CONTENT_FIELDS
from xinfang_archive.cluster.commit import commit_cursor
from xinfang_archive.cluster.database import COMMIT_LOCK
from xinfang_archive.cluster.database import connection_for
from xinfang_archive.cluster.database import ensure_schema
from xinfang_archive.cluster.database import forget_connection
from xinfang_archive.cluster.database import locked_transaction

import json
import re


TABLE = "xinfang_audit"
_TABLE_NAME = re.compile(r"\bentries\b")


def _translate(sql):
    return _TABLE_NAME.sub(TABLE, sql).replace("?", "%s")


class _Connection:
    """A psycopg2 connection seen as the SQLite connection the store expects
    (each ``execute`` on a cursor of its own, as SQLite's does)."""

    def __init__(self, connection):
        self.connection = connection

    def execute(self, sql, params=()):
        cursor = self.connection.cursor()
        cursor.execute(_translate(sql), tuple(params))
        return cursor

    def executemany(self, sql, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(_translate(sql), rows)


class PostgresAuditStore(AuditStore):
    def __init__(self, dsn):
        self.dsn = dsn
        self.path = f"PostgreSQL {TABLE}"
        ensure_schema(dsn)

    def _connection(self):
        return _Connection(connection_for(self.dsn))

    def close(self):
        forget_connection(self.dsn)

    def append(self, entries):
        contents = [_prepare(entry) for entry in entries]
        if not contents:
            return []
        with locked_transaction(self.dsn, COMMIT_LOCK) as cursor:
            rows = self._insert(_Connection(cursor.connection), contents)
        return [row[0] for row in rows]

    def prepare_append(self, entries, jar=None):
        """In the vote of the ZODB transaction of ``jar``: written with it."""
        contents = [_prepare(entry) for entry in entries]
        rows = self._insert(_Connection(commit_cursor(jar).connection), contents)
        return [row[0] for row in rows]

    def finish_append(self):
        """RelStorage's commit made them durable."""

    def abort_append(self):
        """RelStorage's abort dropped them."""

    def _scan_rows(self, con):
        # a server-side cursor: the chain is read in chunks, never whole
        with con.connection.cursor(name="xinfang_audit_scan", withhold=True) as cursor:
            cursor.itersize = _Scan.CHUNK
            cursor.execute(_translate(f"{_SELECT} ORDER BY seq"))
            while rows := cursor.fetchmany(_Scan.CHUNK):
                yield [(row[0], _message(row), row[8], row[9]) for row in rows]


def _message(row):
    """The hashed text of a stored row (``entry_hash``'s input), as bytes."""
    content = dict(zip(CONTENT_FIELDS, row[1:8], strict=False))
    try:
        content["details"] = json.loads(row[7])
    except ValueError:
        content["details"] = row[7]  # tampered with: its hash will not match
    return (row[8] + "\n" + canonical_json(content)).encode("utf-8")
