"""The full-text index's change log in PostgreSQL, below Plone.

A ZODB on RelStorage (the tests' own PostgreSQL cluster) and the search
store on disk, without a Plone site: rows are written inside the ZODB
commit and only then, numbered in commit order; followers apply them in
that order, a new index fills from the log, and a process killed in the
middle of a commit leaves neither its objects nor its rows.
"""

from persistent.mapping import PersistentMapping
from tests.helpers.search_log import document
from tests.helpers.search_log import publish_at_commit
from tests.helpers.transactions import FailingVote
from xinfang_archive.cluster.database import connect
from xinfang_archive.search.following import Follower
from xinfang_archive.search.publishing import join
from xinfang_archive.search.store import IndexStore

import os
import pytest
import signal
import subprocess
import sys
import textwrap
import threading
import time
import transaction


def rows(dsn):
    connection = connect(dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT uid, seq, stamp FROM xinfang_search_log ORDER BY seq"
            )
            return cursor.fetchall()
    finally:
        connection.close()


def titles(store):
    return dict(store.engine.stamps().items())


def test_rows_are_written_with_the_commit_and_only_then(relstorage_db, tmp_path):
    dsn, db = relstorage_db
    store = IndexStore(tmp_path / "index", "tantivy")
    connection = db.open()
    try:
        root = connection.root()
        root["cases"] = PersistentMapping()
        transaction.commit()

        publish_at_commit(connection, store, dsn, {"u1": document("u1", "一")})
        root["cases"]["a"] = 1
        transaction.commit()
        assert [(uid, stamp) for uid, _seq, stamp in rows(dsn)] == [("u1", "stamp-一")]
        assert titles(store) == {
            "u1": "stamp-一"
        }  # this host caught up after its commit

        # aborted: nothing
        publish_at_commit(connection, store, dsn, {"u2": document("u2", "二")})
        root["cases"]["b"] = 2
        transaction.abort()
        # a resource voting after the log refuses: the storage and the log roll back together
        publish_at_commit(connection, store, dsn, {"u3": document("u3", "三")})
        root["cases"]["c"] = 3
        transaction.get().join(FailingVote(transaction.manager))
        with pytest.raises(RuntimeError):
            transaction.commit()
        transaction.abort()
        assert [uid for uid, _seq, _stamp in rows(dsn)] == ["u1"]
        assert sorted(connection.root()["cases"]) == ["a"]

        # a transaction that changed no object still commits its documents
        # (the storage joins it, so the rows have a commit to ride on)
        publish_at_commit(
            connection, store, dsn, {"u1": None, "u4": document("u4", "四")}
        )
        transaction.commit()
        assert [(uid, stamp) for uid, _seq, stamp in rows(dsn)] == [
            ("u1", None),
            ("u4", "stamp-四"),
        ]
        assert titles(store) == {"u4": "stamp-四"}
    finally:
        transaction.abort()
        connection.close()


def test_numbers_follow_commit_order_and_every_index_ends_equal(
    relstorage_db, tmp_path
):
    """Two writers commit at once; the log's numbers sort as the storage's
    transaction ids do, and an index following all along equals one filled
    from the log at the end."""
    dsn, db = relstorage_db
    store = IndexStore(tmp_path / "followed", "tantivy")
    setup = db.open()
    setup.root()["w0"], setup.root()["w1"] = PersistentMapping(), PersistentMapping()
    transaction.commit()
    setup.close()
    commits = []  # (tid, uid)
    lock = threading.Lock()

    def writer(number):
        manager = transaction.TransactionManager()
        connection = db.open(transaction_manager=manager)
        container = connection.root()[f"w{number}"]
        for i in range(40):
            uid = f"w{number}-{i}"
            item = PersistentMapping(n=i)
            container[uid] = item
            pending = {uid: document(uid, uid), "shared": document("shared", uid)}
            join(
                manager.get(),
                lambda pending=pending: dict(pending),
                connection,
                dsn,
                store,
            )
            manager.commit()
            with lock:
                commits.append((item._p_serial, uid))
        connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = {uid: seq for uid, seq, _stamp in rows(dsn)}
    by_tid = [uid for _tid, uid in sorted(commits)]
    assert sorted(by_tid, key=seqs.get) == by_tid
    # the shared document is the last committed one's, everywhere
    last = by_tid[-1]
    Follower(dsn, store).catch_up()
    assert store.engine.stamps()["shared"] == f"stamp-{last}"
    fresh = IndexStore(tmp_path / "new-host", "tantivy")
    assert Follower(dsn, fresh).catch_up() == 81
    assert fresh.engine.stamps() == store.engine.stamps()
    assert len(store.engine.stamps()) == 81


def test_an_index_of_another_log_or_half_filled_starts_over(relstorage_db, tmp_path):
    dsn, db = relstorage_db
    store = IndexStore(tmp_path / "index", "tantivy")
    store.write(
        {"stray": document("stray", "不在日志中")}
    )  # an index made before the log
    connection = db.open()
    connection.root()["x"] = 1
    publish_at_commit(connection, store, dsn, {"u1": document("u1", "一")})
    transaction.commit()
    connection.close()
    follower = Follower(dsn, store)
    assert set(store.engine.stamps()) == {"u1"}  # emptied and filled from the log
    follower.start_over()
    assert follower.state()["rebuilding"]
    assert follower.catch_up() == 1 and not follower.state()["rebuilding"]
    assert set(store.engine.stamps()) == {"u1"}


KILLED = textwrap.dedent("""
    import os, sys, time, transaction
    sys.path.insert(0, os.path.dirname({tests!r}))  # the repository: tests.helpers
    from tests.helpers.postgres import open_db
    from tests.helpers.search_log import document, publish_at_commit
    from xinfang_archive.search.store import IndexStore

    class Stall:
        transaction_manager = transaction.manager
        def sortKey(self): return "~~stall"
        def tpc_begin(self, txn): pass
        def commit(self, txn): pass
        def tpc_vote(self, txn):
            open({flag!r}, "w").close()  # the log's rows are written, the storage has voted
            time.sleep(600)
        def tpc_finish(self, txn): pass
        def tpc_abort(self, txn): pass
        abort = tpc_abort

    db = open_db({dsn!r}, {blobs!r})
    connection = db.open()
    connection.root()["killed"] = 1
    publish_at_commit(connection, IndexStore({index!r}, "tantivy"), {dsn!r}, {{"killed": document("killed", "死")}})
    transaction.get().join(Stall())
    transaction.commit()
""")


def test_a_process_killed_during_its_commit_leaves_nothing_half_written(
    relstorage_db, tmp_path
):
    dsn, db = relstorage_db
    flag = tmp_path / "voted"
    script = KILLED.format(
        tests=os.path.dirname(__file__),
        flag=str(flag),
        dsn=dsn,
        blobs=str(tmp_path / "blobs-killed"),
        index=str(tmp_path / "index-killed"),
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert child.poll() is None, "the committing process ended early"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # its rows are written and it holds the archive's commit lock: killed now
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    connection = db.open()
    try:
        connection.sync()
        assert "killed" not in connection.root()
        assert rows(dsn) == []  # nothing of it in the log
        # the lock died with it: the next commit goes through at once
        store = IndexStore(tmp_path / "index", "tantivy")
        connection.root()["after"] = 1
        publish_at_commit(connection, store, dsn, {"after": document("after", "后")})
        started = time.monotonic()
        transaction.commit()
        assert time.monotonic() - started < 10
        assert [uid for uid, _seq, _stamp in rows(dsn)] == ["after"]
    finally:
        transaction.abort()
        connection.close()
