"""Hearing days pause the 复核 clock (信访条例 Art. 35: time spent on a
hearing does not count toward the re-review deadline).

The days of every hearing linked to a case that is not cancelled are
skipped when the re-review deadline is counted; a hearing scheduled in the
future already moves the deadline it will pause.
"""

from datetime import timedelta
from plone import api
from zope.component import queryUtility
from zope.intid.interfaces import IIntIds


def linked_hearings(case):
    """Hearings whose ``cases`` name ``case`` (any state), by the relation catalog."""
    intids = queryUtility(IIntIds)
    if intids is None or intids.queryId(case) is None:
        return []  # a case being created has no intid, so no hearing names it yet
    relations = api.relation.get(target=case, relationship="cases", unrestricted=True)
    hearings = []
    for relation in relations:
        hearing = relation.from_object
        if hearing is not None and hearing not in hearings:
            hearings.append(hearing)
    return hearings


def hearing_days(case):
    """The set of calendar days of the case's hearings that took or will take place."""
    days = set()
    for hearing in linked_hearings(case):
        if api.content.get_state(hearing, default=None) == "cancelled":
            continue
        days.update(hearing.days())
    return days


def count_days(start, days, paused=frozenset()):
    """The day ``days`` calendar days after ``start``, skipping ``paused`` days."""
    if start is None:
        return None
    if not paused:
        return start + timedelta(days=days)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day not in paused:
            counted += 1
    return day
