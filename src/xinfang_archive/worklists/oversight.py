"""The inspector's home: the search box, recent decisions (replies,
reviews and re-reviews), overdue cases by unit."""

from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.worklists.block import Block
from xinfang_archive.worklists.block import day_of
from xinfang_archive.worklists.block import list_block
from xinfang_archive.worklists.block import Row
from xinfang_archive.worklists.block import ROWS_SHOWN
from xinfang_archive.worklists.counts import CaseCounts
from zope.i18n import translate


def search(catalog, request, today, portal_url):
    return Block(
        id="xf-home-search",
        title=_("Search the archive"),
        search_url=f"{portal_url}/@@archive-search",
    )


def recent_decisions(catalog, request, today, portal_url):
    """The latest replies (处理、复查、复核意见), newest first."""
    brains = catalog(
        portal_type="Reply",
        sort_on="created",
        sort_order="descending",
        sort_limit=ROWS_SHOWN,
    )
    return list_block(
        "xf-home-decisions",
        _("Recent decisions"),
        brains,
        lambda brain: day_of(brain.created),
        f"{portal_url}/@@archive-search?"
        + urlencode({"portal_type": "Reply", "sort": "-date"}),
    )


def overdue_by_unit(catalog, request, today, portal_url):
    """Units with overdue cases, the most overdue first (counted from the indexes)."""
    units = CaseCounts(catalog, today).by_unit(
        translate(_("Not routed yet"), context=request)
    )
    late = [unit for unit in units if unit["overdue"]]
    rows = [
        Row(
            url=f"{portal_url}/cases/@@case-dashboard#xf-by-unit",
            title=unit["title"],
            detail=translate(
                _(
                    "home_overdue_of_open",
                    default="${overdue} overdue of ${open} open",
                    mapping={"overdue": unit["overdue"], "open": unit["open"]},
                ),
                context=request,
            ),
            alert=True,
        )
        for unit in late[:ROWS_SHOWN]
    ]
    return Block(
        id="xf-home-overdue-units",
        title=_("Overdue by unit"),
        rows=rows,
        count=sum(unit["overdue"] for unit in late),
        more_url=f"{portal_url}/cases/@@case-dashboard#xf-by-unit",
    )


BLOCKS = (search, recent_decisions, overdue_by_unit)
