"""Plone's ``start`` and ``end`` indexes of reception days (the public
schedule queries and sorts on them) and of hearings (the hearings ahead)."""

from DateTime import DateTime
from plone.indexer import indexer
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.content.interfaces import ILeaderReception


def _stamp(moment):
    return DateTime(moment) if moment is not None else None


@indexer(ILeaderReception)
def reception_start(obj):
    return _stamp(obj.starts())


@indexer(ILeaderReception)
def reception_end(obj):
    return _stamp(obj.ends())


@indexer(IHearing)
def hearing_start(obj):
    day = getattr(obj, "hearing_date", None)
    return DateTime(day.isoformat()) if day is not None else None
