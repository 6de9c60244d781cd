"""Catalog indexers of meetings: the cases decided on, the kind and the date
(the case page finds a case's meetings by ``meeting_cases``; search facets
read kind and date)."""

from plone.indexer import indexer
from xinfang_archive.content.interfaces import ICoordinationMeeting


@indexer(ICoordinationMeeting)
def meeting_cases(obj):
    return obj.case_numbers()


@indexer(ICoordinationMeeting)
def meeting_kind(obj):
    return getattr(obj, "kind", None)


@indexer(ICoordinationMeeting)
def meeting_date(obj):
    return getattr(obj, "meeting_date", None)
