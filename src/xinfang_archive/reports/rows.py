"""The bulletin's :class:`CaseRow` s, read from the portal catalog.

Every case of the bureau counts, whoever asks (the pages that show the
figures are protected instead), and no case object is loaded: a row is made
of catalog metadata only, the general columns and ``case_facts``
(``reports.facts``).  The metadata records are read straight from the
catalog's table, without making a brain of each: 100,000 cases take about
0.6 s once the catalog is in memory, about 5 s from a cold cache (unpickling
the records, Plone's DateTime columns mostly; see benchmarks/bulletin.py).
"""

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
    "UID",
    "registration_number",
    "Title",
    "received_date",
    "case_channel",
    "case_category",
    "case_unit",
    "case_grade",
    "case_flags",
    "review_state",
    "closed_on",
    "case_deadline",
    COLUMN,
)
FACT_COUNT = len(FACTS)
NO_FACTS = (None,) * (FACT_COUNT - 1) + (1,)
NO_FLAGS = frozenset()


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
            "until reindexed (upgrade step 1003)",
            without_facts,
            COLUMN,
        )
    return rows


def _row(values, default_facts=None):
    """The row of one metadata record; None when its facts are missing and
    no ``default_facts`` are given.  A missing value (``Missing.Value``) is
    false, so ``or`` turns it into the row's empty value."""
    (
        uid,
        number,
        title,
        received,
        channel,
        category,
        unit,
        grade,
        flags,
        state,
        closed,
        deadline,
        facts,
    ) = values
    if facts.__class__ is not tuple or len(facts) != FACT_COUNT:
        if default_facts is None:
            return None
        facts = default_facts
    accepted, replied, rejected, accept_due, handle_due, satisfaction, people = facts
    return CaseRow(
        uid=uid,
        registration_number=number or "",
        title=title or "",
        received=received,
        channel=channel or "",
        category=category or "",
        unit=unit or None,
        grade=grade or "",
        flags=frozenset(flags) if flags else NO_FLAGS,
        state=state or "",
        accepted_on=accepted,
        replied_on=replied,
        closed_on=closed or None,
        deadline=deadline or None,
        accept_due=accept_due,
        handle_due=handle_due,
        satisfaction=satisfaction,
        people=people,
        rejected_on=rejected,
    )
