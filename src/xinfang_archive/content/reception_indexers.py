"""Catalog indexers of reception days: Plone's ``start`` and ``end`` (the
public schedule queries and sorts on them)."""

from DateTime import DateTime
from plone.indexer import indexer
from xinfang_archive.content.interfaces import ILeaderReception


def _stamp(moment):
    return DateTime(moment) if moment is not None else None


@indexer(ILeaderReception)
def reception_start(obj):
    return _stamp(obj.starts())


@indexer(ILeaderReception)
def reception_end(obj):
    return _stamp(obj.ends())
