"""Catalog indexers of warnings: the list filters by rule and by unit; a
package of cases finds the warnings about them by their records."""

from plone.indexer import indexer
from xinfang_archive.content.interfaces import IEarlyWarning


@indexer(IEarlyWarning)
def warning_rule(obj):
    return getattr(obj, "rule_id", None)


@indexer(IEarlyWarning)
def warning_unit(obj):
    return getattr(obj, "unit", None)


@indexer(IEarlyWarning)
def warning_records(obj):
    return list(getattr(obj, "records", None) or ())
