"""The index on disk: engine directory, write spool and cross-process lock.

Layout under the index root (``var/search-index`` by default)::

    <engine>/index/    the engine's own files
    <engine>/spool/    committed changes not yet written to the index
    <engine>/write.lock

A committed transaction first writes its changes to the spool (one file,
atomically renamed into place), then drains the spool under an exclusive
``flock``: whoever holds the lock writes every pending file in name order,
so several processes (or threads) writing at once lose no update, and a
process that dies after the database commit leaves its changes in the
spool for the next writer. An index that cannot be opened is moved aside
and recreated empty (``broken``); ``reindex`` fills it from the database.
"""

from dataclasses import asdict
from pathlib import Path
from xinfang_archive.search.engines import engine_class
from xinfang_archive.search.model import IndexDocument

import fcntl
import itertools
import json
import logging
import os
import shutil
import threading
import time


logger = logging.getLogger("xinfang_archive.search")

_counter = itertools.count()


class IndexStore:
    def __init__(self, root, engine_name):
        self.root = Path(root)
        self.engine_name = engine_name
        self.base = self.root / engine_name
        self.spool = self.base / "spool"
        self.spool.mkdir(parents=True, exist_ok=True)
        self.lock_path = self.base / "write.lock"
        self.thread_lock = threading.RLock()
        self.broken = None
        # Opening may create the index (or move a broken one aside): a write,
        # so under the lock, or two processes starting at once race to create
        # it (Whoosh then fails renaming its table of contents).
        with self.locked():
            self.created = not (self.base / "index").exists()
            self.engine = self._open()

    def _open(self):
        path = self.base / "index"
        cls = engine_class(self.engine_name)
        try:
            return cls(path)
        except OSError:
            raise  # the machine's trouble (permissions, disk, files): not a broken index
        except Exception as error:
            aside = self.base / f"index.broken-{time.strftime('%Y%m%d%H%M%S')}"
            logger.error(
                "Search index %s cannot be opened (%s); moved to %s", path, error, aside
            )
            shutil.move(str(path), str(aside))
            self.broken = str(aside)
            self.created = True
            return cls(path)

    # -- writing ---------------------------------------------------------

    class Busy(Exception):
        """Another thread or process holds the lock (``locked(wait=False)``)."""

    class _Locked:
        def __init__(self, store, wait=True):
            self.store = store
            self.wait = wait

        def __enter__(self):
            if not self.store.thread_lock.acquire(blocking=self.wait):
                raise IndexStore.Busy()
            try:
                self.handle = open(self.store.lock_path, "a+")
                try:
                    fcntl.flock(
                        self.handle,
                        fcntl.LOCK_EX if self.wait else fcntl.LOCK_EX | fcntl.LOCK_NB,
                    )
                except BlockingIOError:
                    self.handle.close()
                    raise IndexStore.Busy() from None
                except BaseException:
                    self.handle.close()
                    raise
            except BaseException:
                self.store.thread_lock.release()
                raise
            return self

        def __exit__(self, *exc):
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.store.thread_lock.release()

    def locked(self, wait=True):
        """The index's write lock: threads of this process and other
        processes. Not reentrant across the file lock: code holding it calls
        the engine, not ``write``/``clear``/``drain``."""
        return self._Locked(self, wait)

    def commit(self, changes):
        """Record committed ``{uid: IndexDocument or None}`` and write them."""
        if not changes:
            return
        name = f"{time.time_ns():020d}-{os.getpid()}-{next(_counter):08d}"
        payload = {
            uid: (asdict(doc) if doc is not None else None)
            for uid, doc in changes.items()
        }
        tmp = self.spool / f".{name}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.spool / f"{name}.json")
        self.drain()

    def pending(self):
        return sorted(self.spool.glob("*.json"))

    def drain(self):
        """Write every spooled change to the index (under the lock)."""
        with self.locked():
            files = self.pending()
            if not files:
                return 0
            merged = {}
            for path in files:
                try:
                    with open(path, encoding="utf-8") as handle:
                        data = json.load(handle)
                    docs = {
                        uid: IndexDocument(**doc) if doc is not None else None
                        for uid, doc in data.items()
                    }
                except Exception as error:
                    # one bad file must not block every later write; it is
                    # kept (.bad) for inspection, verify-index --fix repairs
                    logger.error(
                        "Unreadable spool file %s (%s); set aside as .bad", path, error
                    )
                    path.rename(path.with_suffix(".bad"))
                    continue
                merged.update(docs)
            self.engine.apply(merged)
            for path in files:
                if path.exists():
                    path.unlink()
            return len(merged)

    def write(self, changes, bulk=False):
        """Write directly under the lock (verify --fix; ``bulk``: rebuild
        after ``clear``, documents not yet in the index)."""
        with self.locked():
            self.engine.apply(changes, bulk=bulk)

    def clear(self):
        with self.locked():
            for path in self.pending():
                path.unlink()
            self.engine.clear()


_stores = {}
_stores_lock = threading.Lock()


def open_store(root, engine_name):
    """The process-wide store of ``root``/``engine_name``."""
    key = (str(Path(root).resolve()), engine_name)
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = IndexStore(root, engine_name)
        return store


def forget_stores():
    """Drop the cached stores (tests and the command line reopen)."""
    with _stores_lock:
        _stores.clear()


def clear_stores():
    """Empty every open index (tests: their database is thrown away)."""
    with _stores_lock:
        stores = list(_stores.values())
    for store in stores:
        store.clear()
