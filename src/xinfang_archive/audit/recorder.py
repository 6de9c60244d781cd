"""Recording audit entries from inside Zope.

An entry describes something that happened, so it is written only when the
transaction that did it commits: the trail joins the transaction as a
two-phase-commit participant (``AuditParticipant``, a ``PendingWork``).
Its entries are written in ``tpc_vote``, under the trail's write lock, and
made durable in ``tpc_finish``; an aborted or conflicting transaction drops
them (and its retry records again), and a trail that cannot be written
fails the transaction before anything commits: no committed action without
its entry.  A savepoint rolled back drops the entries recorded since (the
participant takes part in savepoints).  A few facts are true whatever the
transaction does (a failed login) and are written at once
(``immediate=True``).

On an archive in PostgreSQL the trail is a table of that database, one
chain for every host, written inside the storage's own commit
(``pgstore``).  Otherwise it lives outside the ZODB, in SQLite (see
``store``).  Never in the ZODB: appending to one hash chain from every
request would make every request conflict, and reads that log (views of
filed records) would have to write to the ZODB.
Its file is ``$XINFANG_AUDIT_LOG``, else ``$XINFANG_ARCHIVE_VAR/audit/audit.sqlite``,
else ``audit/audit.sqlite`` beside the FileStorage's directory.
"""

from pathlib import Path
from plone.uuid.interfaces import IUUID
from xinfang_archive.audit.pgstore import PostgresAuditStore
from xinfang_archive.audit.store import AuditStore
from xinfang_archive.cluster.commit import join_storage
from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import relstorage_of
from xinfang_archive.pending_work import PendingWork
from zope.component.hooks import getSite

import logging
import os
import threading


logger = logging.getLogger("xinfang_archive.audit")

AUDIT_ENV = "XINFANG_AUDIT_LOG"
_stores = {}
_lock = threading.Lock()


class AuditNotConfigured(Exception):
    """No place for the audit trail can be found."""


def audit_path(site=None):
    if os.environ.get(AUDIT_ENV):
        return Path(os.environ[AUDIT_ENV])
    if os.environ.get("XINFANG_ARCHIVE_VAR"):
        return Path(os.environ["XINFANG_ARCHIVE_VAR"]) / "audit" / "audit.sqlite"
    site = site if site is not None else getSite()
    jar = getattr(site, "_p_jar", None)
    name = jar.db().storage.getName() if jar is not None else ""
    if name and os.path.isfile(name):
        return Path(name).resolve().parent.parent / "audit" / "audit.sqlite"
    raise AuditNotConfigured(f"No file for the audit trail: set {AUDIT_ENV}.")


def _shared_dsn(site):
    """The address of the archive's PostgreSQL database (None: ZEO, file)."""
    jar = getattr(site, "_p_jar", None)
    storage = relstorage_of(jar.db()) if jar is not None else None
    return dsn_of(storage) if storage is not None else None


def audit_store(site=None):
    site = site if site is not None else getSite()
    dsn = _shared_dsn(site)
    if dsn is not None:  # one chain for every host, in the database
        with _lock:
            store = _stores.get(dsn)
            if store is None:
                store = _stores[dsn] = PostgresAuditStore(dsn)
            return store
    path = audit_path(site)
    with _lock:
        store = _stores.get(path)
        if store is None:
            store = _stores[path] = AuditStore(path)
        return store


def forget_stores():
    """Close the cached stores (tests, after moving the file)."""
    with _lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


def current_actor():
    from AccessControl import getSecurityManager

    user = getSecurityManager().getUser()
    if user is None or user.getId() is None:
        return "anonymous"
    return user.getId()


def entry_for(action, obj=None, details=None, actor=None, title=None, path=None):
    site = getSite()
    portal_path = "/".join(site.getPhysicalPath()) if site is not None else ""
    if obj is not None:
        full = "/".join(obj.getPhysicalPath())
        path = (
            full[len(portal_path) :]
            if portal_path and full.startswith(portal_path)
            else full
        )
        title = title if title is not None else obj.Title()
    # No time: the store stamps the entry when it is appended (at commit).
    return {
        "actor": _bounded(actor or current_actor(), MAX_NAME),
        "action": action,
        "object_uid": IUUID(obj, "") if obj is not None else "",
        "object_path": _bounded(path or "", MAX_TEXT),
        "object_title": _bounded(title or "", MAX_NAME),
        "details": _bounded(details or {}, MAX_TEXT),
    }


# Bounds on what one entry holds: an entry records what happened, and
# whatever a request sends (a 1 MB title) must not make it as large.
MAX_NAME = 500
MAX_TEXT = 4000
MAX_ITEMS = 500


def _bounded(value, limit):
    """``value`` with every string cut at ``limit`` characters and every list
    or mapping at MAX_ITEMS items (each cut says how long the original was)."""
    if isinstance(value, str):
        return value if len(value) <= limit else f"{value[:limit]}…[{len(value)}]"
    if isinstance(value, dict):
        items = list(value.items())
        bounded = {str(k)[:MAX_NAME]: _bounded(v, limit) for k, v in items[:MAX_ITEMS]}
        if len(items) > MAX_ITEMS:
            bounded["…"] = f"{len(items) - MAX_ITEMS} more"
        return bounded
    if isinstance(value, (list, tuple)):
        bounded = [_bounded(v, limit) for v in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            bounded.append(f"…{len(value) - MAX_ITEMS} more")
        return bounded
    return value


class AuditParticipant(PendingWork):
    """The audit entries of one transaction, written in its two-phase commit."""

    # After the ZODB's storages ("~" sorts after their names): a conflict
    # found in their vote costs the trail nothing, and the trail's lock is
    # taken after the storage's, in the same order by every writer.
    SORT_KEY = "~xinfang_archive.audit"

    def __init__(self, site, transaction_manager):
        super().__init__(transaction_manager)
        self.site = site
        self.entries = []
        self.store = None
        self.voted = False

    def on_join(self, txn):
        if _shared_dsn(self.site) is not None:
            # the entries are written in the storage's commit: it must take
            # part even when the transaction changed no object (a view)
            join_storage(self.site._p_jar)

    def snapshot(self):
        return len(self.entries)  # entries are only ever appended

    def restore(self, state):
        del self.entries[state:]

    def clear(self):
        self.entries = []
        self.voted = False

    def tpc_begin(self, txn):
        # Opening the trail can fail (no place for it, an unwritable file):
        # then the transaction fails here, before any storage commits.
        self.store = audit_store(self.site)

    def tpc_vote(self, txn):
        if self.entries:
            self.store.prepare_append(self.entries, self.site._p_jar)
            self.voted = True

    def tpc_finish(self, txn):
        try:
            if self.voted:
                self.store.finish_append()
        except Exception:  # past the point of no return: say so as loudly as possible
            logger.critical(
                "The transaction committed but its %d audit entries could not be made durable",
                len(self.entries),
                exc_info=True,
            )
        finally:
            self.end()

    def tpc_abort(self, txn):
        try:
            if self.voted:
                self.store.abort_append()
        finally:
            self.end()


def pending_entries():
    """The entries the current transaction will write when it commits."""
    participant = AuditParticipant.current()
    return [] if participant is None else list(participant.entries)


def record(
    action, obj=None, details=None, actor=None, title=None, path=None, immediate=False
):
    """Record ``action`` (on ``obj``) when the current transaction commits."""
    entry = entry_for(action, obj, details, actor, title, path)
    site = getSite()
    if immediate:
        audit_store(site).append([entry])
        return
    AuditParticipant.joined(site).entries.append(entry)
