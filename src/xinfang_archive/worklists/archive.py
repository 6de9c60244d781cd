"""The archivist's home: closed cases to file, fixity, appraisals due and
waiting for a second person's approval, holds in force."""

from plone import api
from xinfang_archive import _
from xinfang_archive.archival.disposition import due_brains
from xinfang_archive.archival.fixity_status import fixity_summary
from xinfang_archive.setuphandlers import OFFICE_ID
from xinfang_archive.worklists.block import Block
from xinfang_archive.worklists.block import day_of
from xinfang_archive.worklists.block import list_block
from xinfang_archive.worklists.block import ROWS_SHOWN
from xinfang_archive.worklists.cases import case_query
from xinfang_archive.worklists.cases import case_title
from zope.i18n import translate


def cases_to_file(catalog, request, today, portal_url):
    """Closed cases, the longest closed first: filing (归档) waits for them."""
    return list_block(
        "xf-home-to-file",
        _("Closed cases to file"),
        case_query(catalog, review_state="closed", sort_on="closed_on"),
        lambda brain: day_of(brain.closed_on),
        f"{portal_url}/cases/@@batch-filing",
        row_title=case_title,
    )


def fixity(catalog, request, today, portal_url):
    summary = fixity_summary(api.portal.get())
    if summary is None:
        status, alert = translate(_("No fixity run yet."), context=request), True
    else:
        counts = summary["counts"]
        status = translate(
            _(
                "home_fixity",
                default="Last run ${time}: intact ${intact}, changed ${changed}, missing ${missing}.",
                mapping={
                    "time": summary["started"],
                    "intact": counts.get("intact", 0),
                    "changed": counts.get("changed", 0),
                    "missing": counts.get("missing", 0),
                },
            ),
            context=request,
        )
        if summary["overdue"]:
            status += " " + translate(_("The nightly run is overdue."), context=request)
        alert = not summary["ok"] or summary["overdue"]
    return Block(
        id="xf-home-fixity",
        title=_("Fixity"),
        status=status,
        alert=alert,
        more_url=f"{portal_url}/{OFFICE_ID}/@@fixity-report",
        more_title=_("Fixity runs"),
    )


def appraisals_due(catalog, request, today, portal_url):
    """Filed records whose retention ran out, the earliest expiry first."""
    return list_block(
        "xf-home-appraisal-due",
        _("Due for appraisal"),
        due_brains(today, limit=ROWS_SHOWN),
        lambda brain: brain.archival_code or "",
        f"{portal_url}/{OFFICE_ID}/@@appraisal-due",
    )


def appraisals_waiting(catalog, request, today, portal_url):
    """Proposed appraisals: a second archivist approves or rejects them."""
    return list_block(
        "xf-home-appraisals",
        _("Appraisals waiting for approval"),
        catalog(
            portal_type="Appraisal",
            review_state="proposed",
            sort_on="created",
            sort_limit=ROWS_SHOWN,
        ),
        lambda brain: f"{brain.Creator} · {day_of(brain.created)}",
        f"{portal_url}/{OFFICE_ID}",
    )


def holds(catalog, request, today, portal_url):
    return list_block(
        "xf-home-holds",
        _("Holds in force"),
        catalog(
            portal_type="Hold",
            review_state="active",
            sort_on="created",
            sort_order="descending",
            sort_limit=ROWS_SHOWN,
        ),
        lambda brain: day_of(brain.created),
        f"{portal_url}/{OFFICE_ID}",
    )


BLOCKS = (cases_to_file, appraisals_due, appraisals_waiting, holds, fixity)
