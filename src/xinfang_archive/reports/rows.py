"""The bulletin's :class:`CaseRow` s, read from the portal catalog.

Every case of the bureau counts, whoever asks (the pages that show the
figures are protected instead), and no case object is loaded: a row is made
of catalog metadata only, the general columns and ``case_facts``
(``reports.facts``).  The metadata records are read straight from the
catalog's table, without making a brain of each: 100,000 cases take a
fraction of a second once the catalog is in memory.
"""
from Missing import MV
from operator import itemgetter
from plone import api
from Products.CMFCore.indexing import processQueue
from xinfang_archive.reports.facts import CASE_TYPE
from xinfang_archive.reports.facts import COLUMN
from xinfang_archive.reports.facts import FACTS
from xinfang_archive.reports.figures import CaseRow

import logging


logger = logging.getLogger("xinfang_archive.reports")

# The metadata columns a row is made of, in the order ``_row`` reads them.
COLUMNS = (
    "UID", "registration_number", "Title", "received_date", "case_channel", "case_category",
    "case_unit", "case_grade", "case_flags", "review_state", "closed_on", "case_deadline",
    COLUMN,
)
NO_FACTS = (None,) * (len(FACTS) - 1) + (1,)


def case_rids(catalog):
    """The catalog's record ids of every case (no permission check)."""
    index = catalog._catalog.getIndex("portal_type")
    rids, _used = index._apply_index({"portal_type": CASE_TYPE})
    return rids


def case_rows(catalog=None):
    """A :class:`CaseRow` for every case in the catalog (a list)."""
    catalog = catalog if catalog is not None else api.portal.get_tool("portal_catalog")
    processQueue()  # what this transaction changed, as a catalog search would
    table = catalog._catalog
    read = itemgetter(*(table.schema[name] for name in COLUMNS))
    data = table.data
    rows = []
    without_facts = 0
    for rid in case_rids(catalog):
        row = _row(read(data[rid]))
        if row is None:
            without_facts += 1
            row = _row(read(data[rid]), NO_FACTS)
        rows.append(row)
    if without_facts:
        logger.warning(
            "%d cases have no %s metadata: they count without acceptance and reply dates "
            "until reindexed (upgrade step 1003)", without_facts, COLUMN)
    return rows


def _row(values, default_facts=None):
    """The row of one metadata record; None when its facts are missing and
    no ``default_facts`` are given."""
    (uid, number, title, received, channel, category, unit, grade, flags, state, closed,
     deadline, facts) = values
    if facts is MV or facts is None or len(facts) != len(FACTS):
        if default_facts is None:
            return None
        facts = default_facts
    accepted, replied, rejected, accept_due, handle_due, satisfaction, people = facts
    return CaseRow(
        uid=uid,
        registration_number=_value(number) or "",
        title=_value(title) or "",
        received=received,
        channel=_value(channel) or "",
        category=_value(category) or "",
        unit=_value(unit) or None,
        grade=_value(grade) or "",
        flags=frozenset(_value(flags) or ()),
        state=_value(state) or "",
        accepted_on=accepted,
        replied_on=replied,
        closed_on=_value(closed),
        deadline=_value(deadline),
        accept_due=accept_due,
        handle_due=handle_due,
        satisfaction=satisfaction,
        people=people,
        rejected_on=rejected,
    )


def _value(value):
    return None if value is MV else value
