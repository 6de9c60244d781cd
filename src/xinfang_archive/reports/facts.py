"""The ``case_facts`` metadata column: what the bulletin needs of a case that
the other columns do not hold, as one tuple of plain values (:data:`FACTS`).

The deadlines are computed when the case is indexed, with the clocks of
``workflow.clocks`` and the deadlines of the registry at that moment, as the
``case_deadline`` index is: a change of the statutory periods reaches a case
at its next reindex.  The workflow records no date for a rejection (不予受理):
the day of the last ``reject`` transition in the workflow history, on the
bureau's clock, stands for it.
"""

from Acquisition import aq_base
from plone import api
from plone.indexer import indexer
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.localtime import local_day
from xinfang_archive.setuphandlers import add_catalog_indexes
from xinfang_archive.workflow.clocks import current_deadline
from xinfang_archive.workflow.clocks import handling_deadline

import logging
import transaction


logger = logging.getLogger("xinfang_archive.reports")

COLUMN = "case_facts"
FACTS = (
    "accepted_on",
    "replied_on",
    "rejected_on",
    "accept_due",
    "handle_due",
    "satisfaction",
    "people",
)
WORKFLOW_ID = "xf_case_workflow"
CASE_TYPE = "PetitionCase"


def rejected_on(case):
    """The day of the case's last ``reject`` transition, or None."""
    history = getattr(aq_base(case), "workflow_history", None) or {}
    for entry in reversed(history.get(WORKFLOW_ID, ())):
        if entry.get("action") == "reject":
            return local_day(entry.get("time"))
    return None


def facts_of(case, settings=None):
    """The values of :data:`FACTS` for ``case``, in that order."""
    settings = settings or get_settings()
    accept_due, _kind = current_deadline(case, "registered", settings)
    return (
        case.accepted_on,
        case.replied_on,
        rejected_on(case),
        accept_due,
        handling_deadline(case, settings),
        case.satisfaction or None,
        case.people_count or 1,
    )


@indexer(IPetitionCase)
def case_facts(obj):
    return facts_of(obj)


def refresh_case_facts(portal=None, savepoint_every=500):
    """Recompute the metadata (and the deadline index) of every case: for a
    catalog that has just got the ``case_facts`` column.  Returns the count."""
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=CASE_TYPE):
        case = brain._unrestrictedGetObject()
        # Straight to the catalog: the full-text index has nothing to update.
        catalog.catalog_object(
            case, brain.getPath(), idxs=["case_deadline"], update_metadata=1
        )
        count += 1
        if count % savepoint_every == 0:
            transaction.savepoint(optimistic=True)
            case._p_jar.cacheMinimize()
    logger.info("Bulletin facts indexed for %d cases", count)
    return count


def add_case_facts(portal):
    """Upgrade step helper: the column, then the facts of existing cases."""

    add_catalog_indexes(portal)
    return refresh_case_facts(portal)
