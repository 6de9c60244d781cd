"""The audit trail of an archive in PostgreSQL: one chain for every host.

Entries are written inside the ZODB commit on RelStorage's connection (with
it or not at all), several writers append to one chain, tampering shows on
``verify``, and the search of the SQLite trail answers the same (its tests
run again here against PostgreSQL).
"""

from datetime import datetime
from datetime import UTC
from persistent.mapping import PersistentMapping
from tests.helpers.audit import CASE
from tests.helpers.audit import entry
from tests.helpers.audit import searchable_store
from tests.helpers.transactions import FailingVote
from tests.test_audit_store import test_distinct_actors_and_actions  # noqa: F401 - run against PostgreSQL
from tests.test_audit_store import test_iter_entries_streams_every_match  # noqa: F401
from tests.test_audit_store import test_search_by_actor_and_action  # noqa: F401
from tests.test_audit_store import test_search_by_date_range_in_local_days  # noqa: F401
from tests.test_audit_store import test_search_by_object_path_or_uid  # noqa: F401
from tests.test_audit_store import test_search_by_text  # noqa: F401
from tests.test_audit_store import test_search_pages_newest_first_with_totals  # noqa: F401
from tests.test_audit_store import test_times_never_go_backwards_along_the_chain  # noqa: F401
from xinfang_archive.audit.pgstore import PostgresAuditStore
from xinfang_archive.audit.recorder import AuditParticipant
from xinfang_archive.audit.store import entry_hash
from xinfang_archive.cluster.commit import join_storage
from xinfang_archive.cluster.database import connect

import psycopg2
import pytest
import threading
import transaction


@pytest.fixture
def searchable(relstorage_db, tmp_path):
    """The SQLite tests' entries, in a trail in PostgreSQL."""
    dsn, _db = relstorage_db
    store = PostgresAuditStore(dsn)
    store.append([vars_of(e) for e in searchable_store(tmp_path).iter_entries()])
    return store


def vars_of(stored):
    return {
        "time": datetime.fromisoformat(stored.time),
        "actor": stored.actor,
        "action": stored.action,
        "object_uid": stored.object_uid,
        "object_path": stored.object_path,
        "object_title": stored.object_title,
        "details": stored.details,
    }


def sql(dsn, *statements):
    connection = connect(dsn)
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def commit_entries(connection, manager, entries, fail=False):
    """Entries recorded in a transaction that changes an object, as the recorder does."""
    root = connection.root()
    participant = AuditParticipant(root, manager)
    participant.entries.extend(entries)
    txn = manager.get()
    txn.join(participant)
    join_storage(connection)
    root["items"][f"n{len(root['items'])}"] = 1
    if fail:
        txn.join(FailingVote(manager))
    manager.commit()


def test_entries_commit_with_the_transaction_or_not_at_all(relstorage_db):
    dsn, db = relstorage_db
    store = PostgresAuditStore(dsn)
    connection = db.open()
    try:
        connection.root()["items"] = PersistentMapping()
        transaction.commit()
        commit_entries(connection, transaction.manager, [entry(1), entry(2)])
        assert [e.seq for e in store.iter_entries()] == [1, 2]
        with pytest.raises(RuntimeError):
            commit_entries(connection, transaction.manager, [entry(3)], fail=True)
        transaction.abort()
        assert store.head()[0] == 2 and len(connection.root()["items"]) == 1
        store.add(
            time=datetime.now(UTC), actor="anonymous", action="login_failed"
        )  # at once
        commit_entries(connection, transaction.manager, [entry(4)])
        result = store.verify()
        assert (
            result.ok
            and result.count == 4
            and (result.head_seq, result.head_hash) == store.head()
        )
        assert [e.action for e in store.iter_entries()] == [
            "edit",
            "edit",
            "login_failed",
            "edit",
        ]
    finally:
        transaction.abort()
        connection.close()


def test_several_writers_append_to_one_chain(relstorage_db):
    """Two hosts' worth of writers: every entry once, one unbroken chain."""
    dsn, db = relstorage_db
    setup = db.open()
    setup.root()["items"] = PersistentMapping()
    transaction.commit()
    setup.close()

    def writer(number):
        manager = transaction.TransactionManager()
        connection = db.open(transaction_manager=manager)
        for i in range(25):
            while True:
                try:
                    commit_entries(
                        connection, manager, [entry(i, actor=f"writer{number}")] * 2
                    )
                    break
                except (
                    Exception
                ) as error:  # the shared container: a conflict, done again
                    manager.abort()
                    assert (
                        "conflict" in str(error).lower()
                        or "Conflict" in type(error).__name__
                    ), error
        connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store = PostgresAuditStore(dsn)
    result = store.verify()
    assert result.ok, result.problems
    assert result.count == 100
    assert sorted(store.actors()) == ["writer0", "writer1"]


def test_the_table_refuses_changes_and_tampering_shows(relstorage_db):
    dsn, _db = relstorage_db
    store = PostgresAuditStore(dsn)
    store.append([entry(i) for i in range(1, 6)])
    for statement in (
        "UPDATE xinfang_audit SET actor = 'x' WHERE seq = 2",
        "DELETE FROM xinfang_audit WHERE seq = 2",
        "TRUNCATE xinfang_audit",
    ):
        with pytest.raises(psycopg2.Error, match="append-only"):
            sql(dsn, statement)
    head = store.head()
    # whoever owns the database can switch the triggers off: the chain shows it
    sql(
        dsn,
        "ALTER TABLE xinfang_audit DISABLE TRIGGER USER",
        "UPDATE xinfang_audit SET object_title = '改过的标题' WHERE seq = 2",
        "DELETE FROM xinfang_audit WHERE seq = 5",
    )
    result = store.verify(expected_head=head)
    assert [(p.seq, p.kind) for p in result.problems] == [
        (2, "altered"),
        (5, "removed"),
    ]
    # a row whose hash follows the definition is read as the SQLite trail's
    first = next(store.iter_entries())
    content = {
        name: getattr(first, name)
        for name in (
            "time",
            "actor",
            "action",
            "object_uid",
            "object_path",
            "object_title",
            "details",
        )
    }
    assert entry_hash(first.prev_hash, content) == first.hash
    assert first.object_path == f"{CASE}/doc-1"


def test_failed_logins_are_throttled_once_for_every_host(relstorage_db):
    """The throttle of the SQLite trail's test, kept in the database: two
    hosts' throttles are one."""
    from tests.helpers.audit import Clock
    from xinfang_archive.audit.pgthrottle import PostgresThrottle

    dsn, _db = relstorage_db
    clock = Clock()
    host_a, host_b = (
        PostgresThrottle(dsn, per_source=3, overall=5, window=60, clock=clock)
        for _ in "ab"
    )
    host_a.reset()
    decisions = [(host_a, host_b)[i % 2].admit("10.0.0.1") for i in range(10)]
    assert decisions[:3] == [(True, 0)] * 3
    assert decisions[3:] == [(False, 0)] * 7
    assert host_b.admit("10.0.0.2") == (True, 0)
    assert host_a.admit("10.0.0.3") == (True, 0)
    assert host_b.admit("10.0.0.4") == (False, 0)  # overall limit reached
    clock.now += 61
    # the next written entry of a source says how many were left out
    assert host_b.admit("10.0.0.1") == (True, 7)
    assert host_a.admit("10.0.0.1") == (True, 0)
    assert host_a.admit("10.0.0.4") == (True, 1)


def test_the_shared_throttle_forgets_the_oldest_sources(relstorage_db, monkeypatch):
    from xinfang_archive.audit import pgthrottle

    dsn, _db = relstorage_db
    monkeypatch.setattr(pgthrottle, "MAX_SOURCES", 3)
    shared = pgthrottle.PostgresThrottle(dsn)
    for n in range(6):
        shared.admit(f"10.0.1.{n}")
    connection = connect(dsn)
    with connection.cursor() as cursor:
        cursor.execute("SELECT source FROM xinfang_login_throttle ORDER BY source")
        sources = [row[0] for row in cursor.fetchall()]
    connection.close()
    assert sources == ["*", "10.0.1.3", "10.0.1.4", "10.0.1.5"]
