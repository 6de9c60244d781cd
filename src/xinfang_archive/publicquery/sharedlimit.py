"""The result query's rate limits shared by every process of one machine.

The same two sliding windows as ``ratelimit.RateLimiter`` (per client and
for everyone together), kept in a SQLite file in the instance's ``var/``
instead of one process's memory: with ``serve --processes N`` an attacker
gets the limits once, not N times, and a restart forgets nothing.  Each
attempt is one short write transaction (``BEGIN IMMEDIATE``: the check and
the count are one step for all processes).  Only allowed attempts are
stored and rows older than the longest window are deleted on the way, so
the table holds at most ``GLOBAL × CLIENT_WINDOW / GLOBAL_WINDOW`` rows.
"""

from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import relstorage_of
from xinfang_archive.publicquery.pglimit import PostgresRateLimiter
from xinfang_archive.publicquery.ratelimit import client_key
from xinfang_archive.publicquery.ratelimit import CLIENT_WINDOW
from xinfang_archive.publicquery.ratelimit import GLOBAL
from xinfang_archive.publicquery.ratelimit import GLOBAL_WINDOW
from xinfang_archive.publicquery.ratelimit import PER_CLIENT
from zope.component.hooks import getSite

import contextlib
import math
import os
import sqlite3
import threading
import time


SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (client TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_client ON attempts (client, at);
CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);
"""


class SharedRateLimiter:
    """``hit(address)`` as ``RateLimiter.hit``; the clock is the wall clock
    (processes share no monotonic one), injectable for tests."""

    def __init__(
        self,
        path,
        per_client=PER_CLIENT,
        client_window=CLIENT_WINDOW,
        global_limit=GLOBAL,
        global_window=GLOBAL_WINDOW,
        clock=time.time,
    ):
        self.path = str(path)
        self.per_client = per_client
        self.client_window = client_window
        self.global_limit = global_limit
        self.global_window = global_window
        self.clock = clock
        self._local = threading.local()
        with contextlib.closing(self._connect()) as db:
            db.executescript(SCHEMA)

    def _connect(self):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._write_ahead(db)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @staticmethod
    def _write_ahead(db, patience=30):
        """Switch the file to WAL once.  SQLite answers a journal-mode change
        that meets another process's connection with "database is locked" at
        once, without its busy handler (two processes creating the file
        together), so wait here; a file already in WAL mode needs no change."""
        deadline = time.monotonic() + patience
        while True:
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _db(self):
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    def reset(self):
        self._db().execute("DELETE FROM attempts")

    def hit(self, address):
        key = client_key(address)
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            now = self.clock()
            db.execute(
                "DELETE FROM attempts WHERE at <= ?",
                (now - max(self.client_window, self.global_window),),
            )
            everyone, first_of_all = db.execute(
                "SELECT COUNT(*), MIN(at) FROM attempts WHERE at > ?",
                (now - self.global_window,),
            ).fetchone()
            mine, first_of_mine = db.execute(
                "SELECT COUNT(*), MIN(at) FROM attempts WHERE client = ? AND at > ?",
                (key, now - self.client_window),
            ).fetchone()
            waits = []
            if mine >= self.per_client:
                waits.append(first_of_mine + self.client_window - now)
            if everyone >= self.global_limit:
                waits.append(first_of_all + self.global_window - now)
            if waits:
                db.execute(
                    "COMMIT"
                )  # the expired rows go; the refused attempt is not counted
                return max(1, math.ceil(max(waits)))
            db.execute("INSERT INTO attempts (client, at) VALUES (?, ?)", (key, now))
            db.execute("COMMIT")
            return None
        except BaseException:
            db.execute("ROLLBACK")
            raise


VAR_ENV = "XINFANG_ARCHIVE_VAR"
FILENAME = "ratelimit.sqlite"
_shared = {}
_lock = threading.Lock()


def shared_limiter(site=None):
    """The limiter of the instance this process serves: on an archive in
    PostgreSQL the database's, shared by every host (``pglimit``); else
    ``var/ratelimit.sqlite``, shared by the machine's processes; None outside
    an instance (the test layers: ``ratelimit.LIMITER`` then counts in memory)."""
    site = site if site is not None else getSite()
    jar = getattr(site, "_p_jar", None)
    storage = relstorage_of(jar.db()) if jar is not None else None
    if storage is not None:
        dsn = dsn_of(storage)
        with _lock:
            limiter = _shared.get(dsn)
            if limiter is None:
                limiter = _shared[dsn] = PostgresRateLimiter(dsn)
        return limiter
    var = os.environ.get(VAR_ENV)
    if not var:
        return None
    path = os.path.join(var, FILENAME)
    with _lock:
        limiter = _shared.get(path)
        if limiter is None:
            limiter = _shared[path] = SharedRateLimiter(path)
    return limiter
