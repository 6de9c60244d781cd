"""Rows of cases read from catalog metadata alone (no object is woken)."""

from datetime import date
from xinfang_archive import _
from xinfang_archive.localtime import chinese_day
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.worklists.block import Row
from xinfang_archive.worklists.block import ROWS_SHOWN
from zope.i18n import translate


def case_query(catalog, **query):
    """Permission-filtered cases, the first ``ROWS_SHOWN`` by ``sort_on``."""
    query.setdefault("sort_on", "case_deadline")
    return catalog(portal_type="PetitionCase", sort_limit=ROWS_SHOWN, **query)


def case_title(brain):
    """``XF-2026-000012 反映…``: a case's number and subject."""
    return " ".join(p for p in (brain.registration_number, brain.Title) if p)


def case_rows(brains, request, today, with_unit=True):
    """One row per case: number and subject; its deadline (overdue is an
    alert) and responsible unit."""
    units = unit_paths() if with_unit else {}
    rows = []
    for brain in brains[:ROWS_SHOWN]:
        deadline = brain.case_deadline
        overdue = isinstance(deadline, date) and deadline < today
        parts = []
        if isinstance(deadline, date):
            parts.append(
                translate(
                    _(
                        "home_deadline",
                        default="Deadline ${day}",
                        mapping={"day": chinese_day(deadline)},
                    ),
                    context=request,
                )
            )
        if with_unit and brain.case_unit:
            parts.append(units.get(brain.case_unit, brain.case_unit))
        rows.append(
            Row(
                url=brain.getURL(),
                title=" ".join(
                    p for p in (brain.registration_number, brain.Title) if p
                ),
                detail=" · ".join(parts),
                alert=overdue,
            )
        )
    return rows


def due_text(day, request):
    return translate(
        _("home_due", default="Due ${day}", mapping={"day": chinese_day(day)}),
        context=request,
    )
