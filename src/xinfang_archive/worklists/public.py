"""The public's home: the result query, hearing notices, reception days."""

from DateTime import DateTime
from xinfang_archive import _
from xinfang_archive.setuphandlers import NOTICES_ID
from xinfang_archive.setuphandlers import RECEPTIONS_ID
from xinfang_archive.worklists.block import Action
from xinfang_archive.worklists.block import Block
from xinfang_archive.worklists.block import day_of
from xinfang_archive.worklists.block import list_block
from xinfang_archive.worklists.block import ROWS_SHOWN


def result_query(catalog, request, today, portal_url):
    return Block(
        id="xf-home-result-query",
        title=_("Look up the result of your petition"),
        status=_(
            "With the query code printed on your registration slip you can "
            "follow your petition and read its reply."
        ),
        actions=[Action(_("Look up a result"), f"{portal_url}/@@result-query")],
    )


def hearing_notices(catalog, request, today, portal_url):
    brains = catalog(
        portal_type="HearingNotice",
        review_state="published",
        sort_on="created",
        sort_order="descending",
        sort_limit=ROWS_SHOWN,
    )
    return list_block(
        "xf-home-notices",
        _("Hearing notices"),
        brains,
        lambda brain: day_of(brain.created),
        f"{portal_url}/{NOTICES_ID}",
    )


def reception_days(catalog, request, today, portal_url):
    """Published reception days from today on, the nearest first."""
    brains = catalog(
        portal_type="LeaderReception",
        review_state="published",
        start={"query": DateTime(today.isoformat()), "range": "min"},
        sort_on="start",
        sort_limit=ROWS_SHOWN,
    )
    return list_block(
        "xf-home-receptions",
        _("Leaders' reception days"),
        brains,
        lambda brain: day_of(brain.start),
        f"{portal_url}/{RECEPTIONS_ID}",
    )


BLOCKS = (result_query, hearing_notices, reception_days)
