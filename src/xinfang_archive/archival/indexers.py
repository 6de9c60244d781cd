"""Catalog indexers of the archival metadata.

Registered for every object and read without acquisition: a document inside
a filed case must not be indexed under its case's archival code.
"""

from Acquisition import aq_base
from plone.indexer import indexer
from zope.interface import Interface


def _own(name):
    @indexer(Interface)
    def index(obj):
        value = getattr(aq_base(obj), name, None)
        if value is None:
            raise AttributeError(name)
        return value

    return index


archival_code = _own("archival_code")
filing_year = _own("filing_year")
retention_period = _own("retention_period")
retention_expires = _own("retention_expires")
organisation_code = _own("organisation_code")


@indexer(Interface)
def held_codes(obj):
    """The archival codes an appraisal or a hold names."""
    codes = getattr(aq_base(obj), "archival_codes", None)
    if not codes:
        raise AttributeError("archival_codes")
    return [code.strip() for code in codes if code and code.strip()]
