"""Recording audit entries from inside Zope.

An entry describes something that happened, so it is written only when the
transaction that did it commits (an after-commit hook); an aborted or
conflicting transaction leaves no entry, and its retry records again.  A
few facts are true whatever the transaction does (a failed login) and are
written at once (``immediate=True``).

The trail lives outside the ZODB, in SQLite (see ``store``): appending to
one hash chain from every request would make every request conflict, and
reads that log (views of filed records) would have to write to the ZODB.
Its file is ``$XINFANG_AUDIT_LOG``, else ``$XINFANG_ARCHIVE_VAR/audit/audit.sqlite``,
else ``audit/audit.sqlite`` beside the FileStorage's directory.
"""
from pathlib import Path
from plone.uuid.interfaces import IUUID
from xinfang_archive.audit.store import AuditStore
from zope.component.hooks import getSite

import logging
import os
import threading
import transaction


logger = logging.getLogger("xinfang_archive.audit")

AUDIT_ENV = "XINFANG_AUDIT_LOG"
_PENDING = object()  # key of the transaction's pending entries (Transaction.data)
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


def audit_store(site=None):
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
        path = full[len(portal_path):] if portal_path and full.startswith(portal_path) else full
        title = title if title is not None else obj.Title()
    # No time: the store stamps the entry when it is appended (at commit).
    return dict(
        actor=actor or current_actor(),
        action=action,
        object_uid=IUUID(obj, "") if obj is not None else "",
        object_path=path or "",
        object_title=title or "",
        details=details or {},
    )


def _write(status, site, entries):
    if not status:
        return
    try:
        audit_store(site).append(entries)
    except Exception:  # the commit happened: say loudly that its trail did not
        logger.exception("Could not write %d audit entries", len(entries))


def _check_writable(site):
    """Before the commit: fail the transaction if the trail cannot be opened."""
    audit_store(site)


def record(action, obj=None, details=None, actor=None, title=None, path=None, immediate=False):
    """Record ``action`` (on ``obj``) when the current transaction commits."""
    entry = entry_for(action, obj, details, actor, title, path)
    site = getSite()
    if immediate:
        audit_store(site).append([entry])
        return
    txn = transaction.get()
    try:
        pending = txn.data(_PENDING)
    except KeyError:
        pending = []
        txn.set_data(_PENDING, pending)
        txn.addBeforeCommitHook(_check_writable, (site,))
        txn.addAfterCommitHook(_write, (site, pending))
    pending.append(entry)
