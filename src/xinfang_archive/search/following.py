"""Each host's index follows the shared change log (``changelog``).

``Follower.catch_up`` applies, under the index's write lock, every row
after the last one this index applied, in commit order, and records how
far it got in ``<engine>/changelog.json`` beside the index (with the log's
identity: an index that followed another database starts over).  An
empty index (a new host, or one rebuilt) is filled in bulk from one
snapshot of the log, each object's latest document read once, then
follows as usual.  Applying a row twice (a crash between the index's
commit and the state file) replaces the document with itself.

A serving process runs one ``FollowerThread``: it listens for the log's
notification, so a commit on any host reaches this index within
milliseconds, and polls every few seconds in case a notification was
missed.  The process that committed also catches up at once after its
commit (``after_commit``), so a user finds what they just saved.
"""

from xinfang_archive.cluster.database import connect
from xinfang_archive.cluster.database import connection_for
from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import ensure_schema
from xinfang_archive.cluster.database import forget_connection
from xinfang_archive.cluster.database import relstorage_of
from xinfang_archive.search import changelog
from xinfang_archive.search.site import current_store

import json
import logging
import os
import select
import threading


logger = logging.getLogger("xinfang_archive.search")

STATE = "changelog.json"
BULK_PAGE = 10_000
POLL_SECONDS = 5.0


class Follower:
    def __init__(self, dsn, store):
        self.dsn = dsn
        self.store = store
        self.state_path = store.base / STATE

    def state(self):
        try:
            with open(self.state_path, encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return {"epoch": None, "seq": 0, "rebuilding": False}

    def _save(self, state):
        tmp = self.state_path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.state_path)

    def start_over(self):
        """The next ``catch_up`` empties the index and fills it from the log."""
        with self.store.locked():
            state = self.state()
            state["rebuilding"] = True
            self._save(state)

    def catch_up(self, wait=True, progress=None):
        """Apply what the log holds after this index; returns the number of
        rows applied, or None when another thread or process holds the
        index's lock (``wait=False``: that one is applying the log).
        ``progress(done, total)`` follows a fill of an empty index."""
        try:
            with self.store.locked(wait=wait):
                return self._catch_up(progress)
        except self.store.Busy:
            return None

    def _catch_up(self, progress):
        connection = connection_for(self.dsn)
        try:
            with connection.cursor() as cursor:
                state = self.state()
                log_epoch = changelog.epoch(cursor)
                applied = 0
                if state.get("rebuilding") or state.get("epoch") != log_epoch:
                    applied = self._fill(connection, log_epoch, progress)
                    state = self.state()
                while True:
                    rows = changelog.read_after(cursor, state["seq"])
                    if not rows:
                        return applied
                    self.store.engine.apply({uid: doc for _seq, uid, doc in rows})
                    state["seq"] = rows[-1][0]
                    self._save(state)
                    applied += len(rows)
        except Exception:
            forget_connection(self.dsn)
            raise

    def _fill(self, connection, log_epoch, progress):
        """Empty the index and write the log's documents into it in bulk,
        from one snapshot (each object once: bulk writing replaces nothing)."""
        self.store.engine.clear()
        self._save({"epoch": log_epoch, "seq": 0, "rebuilding": True})
        connection.autocommit = False
        try:
            connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with connection.cursor() as cursor:
                total = changelog.counts(cursor)["documents"]
                seq, applied = 0, 0
                while True:
                    rows = changelog.read_after(
                        cursor, seq, limit=BULK_PAGE, deletions=False
                    )
                    if not rows:
                        break
                    self.store.engine.apply(
                        {uid: doc for _seq, uid, doc in rows}, bulk=True
                    )
                    seq = rows[-1][0]
                    applied += len(rows)
                    if progress:
                        progress(applied, total)
            connection.commit()
        except BaseException:
            if not connection.closed:
                connection.rollback()  # set_session below needs the transaction ended
            raise
        finally:
            if not connection.closed:
                connection.set_session(isolation_level="DEFAULT", readonly=False)
                connection.autocommit = True
        # what was committed after the snapshot is applied as usual next
        self._save({"epoch": log_epoch, "seq": seq, "rebuilding": False})
        return applied


class FollowerThread(threading.Thread):
    """Keeps this process's index up with the log while it serves."""

    def __init__(self, follower, poll=POLL_SECONDS):
        super().__init__(name="xinfang-search-follower", daemon=True)
        self.follower = follower
        self.poll = poll
        self.stopping = threading.Event()

    def run(self):
        listener = None
        while not self.stopping.is_set():
            try:
                if listener is None:
                    ensure_schema(self.follower.dsn)
                    listener = connect(self.follower.dsn)
                    with listener.cursor() as cursor:
                        cursor.execute(f"LISTEN {changelog.CHANNEL}")
                self.follower.catch_up()
                ready, _, _ = select.select([listener], [], [], self.poll)
                if ready:
                    listener.poll()
                    listener.notifies.clear()
            except Exception:
                logger.exception("Following the search change log failed; trying again")
                if listener is not None:
                    listener.close()
                    listener = None
                self.stopping.wait(self.poll)
        if listener is not None:
            listener.close()

    def stop(self):
        self.stopping.set()


_threads = {}
_threads_lock = threading.Lock()


def ensure_following(dsn, store):
    """Start this process's follower of ``store`` (once; again after a fork)."""
    key = (os.getpid(), dsn, str(store.base))
    if key in _threads:
        return _threads[key]
    with _threads_lock:
        thread = _threads.get(key)
        if thread is None:
            thread = _threads[key] = FollowerThread(Follower(dsn, store))
            thread.start()
        return thread


def stop_following():
    with _threads_lock:
        threads = list(_threads.values())
        _threads.clear()
    for thread in threads:
        thread.stop()
    for thread in threads:
        thread.join(timeout=10)


def follow_site(site, event):
    """Subscriber (a request entering the site): on an archive in
    PostgreSQL, make sure this process follows the change log."""
    jar = getattr(site, "_p_jar", None)
    storage = relstorage_of(jar.db()) if jar is not None else None
    if storage is None:
        return
    try:
        ensure_following(dsn_of(storage), current_store(site))
    except Exception:
        logger.exception("Cannot follow the search change log")
