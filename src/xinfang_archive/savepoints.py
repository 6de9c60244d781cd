"""All-or-nothing writing of one item (a case imported, a case filed in a
batch) inside a larger transaction.

A transaction savepoint undoes the objects, the catalog, CMFCore's index
queue and the audit entries waiting for the commit (the trail's transaction
participant takes part in savepoints), but the full-text documents the index
queue processor has already built live beside them until the commit: they
are put back as they were when an item fails, so that a skipped item leaves
no trace in the index.
"""

from contextlib import contextmanager
from Products.CMFCore.interfaces import IIndexQueueProcessor
from zope.component import queryUtility

import transaction


SEARCH_PROCESSOR = "xinfang_archive.search"


@contextmanager
def all_or_nothing():
    """Everything written inside is kept, or nothing is (the error is re-raised)."""
    txn = transaction.get()
    savepoint = txn.savepoint()
    processor = queryUtility(IIndexQueueProcessor, name=SEARCH_PROCESSOR)
    search_pending = dict(processor.pending) if processor is not None else None
    search_built = set(processor.built) if processor is not None else None
    try:
        yield
    except BaseException:
        savepoint.rollback()
        forget_catalog_query_cache()
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
