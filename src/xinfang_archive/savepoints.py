"""All-or-nothing writing of one item (a case imported, a case filed in a
batch) inside a larger transaction.

A ZODB savepoint undoes the objects, the catalog and CMFCore's index queue,
but two buffers of this add-on live beside the ZODB until the commit: the
audit entries waiting for it and the full-text documents the index queue
processor has already built.  Both are put back as they were when an item
fails, so that a skipped item leaves no trace in the trail or the index.
"""
from contextlib import contextmanager
from Products.CMFCore.interfaces import IIndexQueueProcessor
from xinfang_archive.audit.recorder import _PENDING
from zope.component import queryUtility

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
        forget_catalog_query_cache()
        audit = _audit_pending(txn)
        if audit is not None:
            del audit[audit_mark:]
        if processor is not None:
            processor.pending.clear()
            processor.pending.update(search_pending)
            processor.built.clear()
            processor.built.update(search_built)
        raise


def forget_catalog_query_cache():
    """The catalog's indexes cache query results on the request, keyed by
    their change counters.  A rollback takes the counters back, so the next
    changes count to the same values and the cache would answer with
    records that were rolled back: after a rollback or an abort it goes."""
    from zope.globalrequest import getRequest

    other = getattr(getRequest(), "other", None)
    if isinstance(other, dict):
        other.pop("__catalog_cache__", None)
