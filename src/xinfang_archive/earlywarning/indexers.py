"""Catalog indexers of warnings: the list filters by rule and by unit."""
from plone.indexer import indexer
from xinfang_archive.content.interfaces import IEarlyWarning


@indexer(IEarlyWarning)
def warning_rule(obj):
    return getattr(obj, "rule_id", None)


@indexer(IEarlyWarning)
def warning_unit(obj):
    return getattr(obj, "unit", None)
