"""The archivist's home: closed cases to file, fixity, appraisals due and
waiting for a second person's approval, holds in force."""

from plone import api
from xinfang_archive import _
from xinfang_archive.archival.disposition import filed_types
from xinfang_archive.archival.fixity_status import fixity_summary
from xinfang_archive.setuphandlers import OFFICE_ID
from xinfang_archive.worklists.block import Block
from xinfang_archive.worklists.block import count_of
from xinfang_archive.worklists.block import day_of
from xinfang_archive.worklists.block import Row
from xinfang_archive.worklists.block import rows_of
from xinfang_archive.worklists.block import ROWS_SHOWN
from xinfang_archive.worklists.cases import case_query
from zope.i18n import translate


def cases_to_file(catalog, request, today, portal_url):
    """Closed cases, the longest closed first: filing (归档) waits for them."""
    brains = case_query(catalog, review_state="closed", sort_on="closed_on")
    return Block(
        id="xf-home-to-file",
        title=_("Closed cases to file"),
        rows=[
            Row(
                url=brain.getURL(),
                title=" ".join(
                    p for p in (brain.registration_number, brain.Title) if p
                ),
                detail=day_of(brain.closed_on),
            )
            for brain in brains[:ROWS_SHOWN]
        ],
        count=count_of(brains),
        more_url=f"{portal_url}/cases/@@batch-filing",
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
    brains = catalog(
        portal_type=filed_types(),
        review_state="filed",
        retention_expires={"query": today, "range": "max"},
        sort_on="retention_expires",
        sort_limit=ROWS_SHOWN,
    )
    return Block(
        id="xf-home-appraisal-due",
        title=_("Due for appraisal"),
        rows=rows_of(brains, lambda b: b.archival_code or ""),
        count=count_of(brains),
        more_url=f"{portal_url}/{OFFICE_ID}/@@appraisal-due",
    )


def appraisals_waiting(catalog, request, today, portal_url):
    """Proposed appraisals: a second archivist approves or rejects them."""
    brains = catalog(
        portal_type="Appraisal",
        review_state="proposed",
        sort_on="created",
        sort_limit=ROWS_SHOWN,
    )
    return Block(
        id="xf-home-appraisals",
        title=_("Appraisals waiting for approval"),
        rows=rows_of(brains, lambda b: f"{b.Creator} · {day_of(b.created)}"),
        count=count_of(brains),
        more_url=f"{portal_url}/{OFFICE_ID}",
    )


def holds(catalog, request, today, portal_url):
    brains = catalog(
        portal_type="Hold",
        review_state="active",
        sort_on="created",
        sort_order="descending",
        sort_limit=ROWS_SHOWN,
    )
    return Block(
        id="xf-home-holds",
        title=_("Holds in force"),
        rows=rows_of(brains, lambda b: day_of(b.created)),
        count=count_of(brains),
        more_url=f"{portal_url}/{OFFICE_ID}",
    )


BLOCKS = (cases_to_file, appraisals_due, appraisals_waiting, holds, fixity)
