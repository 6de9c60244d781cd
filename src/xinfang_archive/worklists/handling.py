"""The unit handler's home: the unit's open cases by deadline, supervisions due."""

from plone import api
from xinfang_archive import _
from xinfang_archive.privacy.units import units_of
from xinfang_archive.workflow.states import OPEN_STATES
from xinfang_archive.worklists.block import Block
from xinfang_archive.worklists.block import count_of
from xinfang_archive.worklists.block import Row
from xinfang_archive.worklists.block import ROWS_SHOWN
from xinfang_archive.worklists.cases import case_query
from xinfang_archive.worklists.cases import case_rows
from xinfang_archive.worklists.cases import due_text


def unit_cases(catalog, request, today, portal_url):
    """Open cases of the user's units (handled or headed), or handled by the
    user in person when the user is in no unit; the nearest deadline first."""
    user_id = api.user.get_current().getId()
    handled, headed = units_of(user_id)
    units = sorted(set(handled) | set(headed))
    where = {"case_unit": units} if units else {"case_handler": user_id}
    brains = case_query(catalog, review_state=OPEN_STATES, **where)
    return Block(
        id="xf-home-unit-cases",
        title=_("Our cases by deadline"),
        rows=case_rows(brains, request, today, with_unit=len(units) != 1),
        count=count_of(brains),
        more_url=f"{portal_url}/cases/@@case-dashboard#xf-my-cases",
    )


def supervisions_due(catalog, request, today, portal_url):
    """Supervisions not done on the cases the user may see, the earliest due first."""
    brains = catalog(
        portal_type="Supervision",
        case_deadline={"query": today.replace(year=1900), "range": "min"},
        sort_on="case_deadline",
        sort_limit=ROWS_SHOWN,
    )
    rows = [
        Row(
            url=brain.getURL(),
            title=brain.Title,
            detail=due_text(brain.case_deadline, request),
            alert=brain.case_deadline < today,
        )
        for brain in brains[:ROWS_SHOWN]
    ]
    return Block(
        id="xf-home-supervisions",
        title=_("Supervisions due"),
        rows=rows,
        count=count_of(brains),
        more_url=f"{portal_url}/cases/@@case-dashboard#xf-supervisions",
    )


BLOCKS = (unit_cases, supervisions_due)
