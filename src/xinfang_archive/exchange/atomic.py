"""All-or-nothing writing of one item inside a larger transaction.

A ZODB savepoint undoes the objects, the catalog and CMFCore's index queue,
but two buffers of this add-on live beside the ZODB until the commit: the
audit entries waiting for it and the full-text documents the index queue
processor has already built.  Both are put back as they were when an item
fails, so that a skipped item leaves no trace in the trail or the index.
"""
from contextlib import contextmanager
from plone.app.versioningbehavior.behaviors import IVersioningSupport
from plone.app.versioningbehavior import subscribers as versioning
from Products.CMFCore.interfaces import IIndexQueueProcessor
from xinfang_archive.audit.recorder import _PENDING
from zope.component import getGlobalSiteManager
from zope.component import queryUtility
from zope.lifecycleevent.interfaces import IObjectAddedEvent
from zope.lifecycleevent.interfaces import IObjectModifiedEvent

import transaction


SEARCH_PROCESSOR = "xinfang_archive.search"


def _audit_pending(txn):
    try:
        return txn.data(_PENDING)
    except KeyError:
        return None


@contextmanager
def all_or_nothing():
    """Everything written inside is kept, or nothing is (the error is re-raised)."""
    txn = transaction.get()
    savepoint = txn.savepoint()
    audit = _audit_pending(txn)
    audit_mark = len(audit) if audit is not None else 0
    processor = queryUtility(IIndexQueueProcessor, name=SEARCH_PROCESSOR)
    search_pending = dict(processor.pending) if processor is not None else None
    search_built = set(processor.built) if processor is not None else None
    try:
        yield
    except BaseException:
        savepoint.rollback()
        audit = _audit_pending(txn)
        if audit is not None:
            del audit[audit_mark:]
        if processor is not None:
            processor.pending.clear()
            processor.pending.update(search_pending)
            processor.built.clear()
            processor.built.update(search_built)
        raise


_VERSIONING_HANDLERS = (
    (versioning.create_version_on_save, (IVersioningSupport, IObjectModifiedEvent)),
    (versioning.create_initial_version_after_adding, (IVersioningSupport, IObjectAddedEvent)),
)


def _registries():
    """The global component registry and the ones it is based on (test
    layers stack registries; a subscriber lives in the one that loaded it)."""
    seen, stack = [], [getGlobalSiteManager()]
    while stack:
        registry = stack.pop()
        if registry not in seen:
            seen.append(registry)
            stack.extend(getattr(registry, "__bases__", ()))
    return seen


@contextmanager
def automatic_versioning_paused():
    """Plone saves a version when content is added or edited, stamped *now*
    and by the current user.  An import replays the recorded versions with
    their own times and authors instead, so the automatic saves are off
    while it writes (the command line owns the process: no request runs
    beside it)."""
    removed = []
    for registry in _registries():
        for handler, required in _VERSIONING_HANDLERS:
            if registry.unregisterHandler(handler, required):
                removed.append((registry, handler, required))
    try:
        yield
    finally:
        for registry, handler, required in removed:
            registry.registerHandler(handler, required)
