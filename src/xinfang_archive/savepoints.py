"""All-or-nothing writing of one item (a case imported, a case filed in a
batch) inside a larger transaction.

A transaction savepoint undoes the objects, the catalog, CMFCore's index
queue and the work waiting for the commit: the audit entries and the
full-text documents take part in savepoints themselves (``pending_work``).
Only the catalog's query cache on the request is left to forget.
"""

from contextlib import contextmanager

import transaction


@contextmanager
def all_or_nothing():
    """Everything written inside is kept, or nothing is (the error is re-raised)."""
    savepoint = transaction.savepoint()
    try:
        yield
    except BaseException:
        savepoint.rollback()
        forget_catalog_query_cache()
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
