"""矛盾纠纷排查: who reported what for a period, and who is late.

Each unit of the ``units`` registry list files one screening report per
period (``2026-11`` for a month, ``2026-Q4`` for a quarter): the disputes it
found, or a zero report (零报告).  A period's reports are due by the
configured day of the month that follows it (for a quarter, of the next
quarter's first month).

A unit has reported once its report was submitted (a draft that was never
submitted is not a report).  A row is late when its report was first
submitted after the deadline, or when the deadline has passed and nothing
was submitted (so every missing row past the deadline is late too).  A report
returned for correction and submitted again keeps its first submission date:
it was filed in time.

The arithmetic and ``period_status`` are pure; ``collect`` reads the
reports of a screening folder.
"""

from calendar import monthrange
from collections import namedtuple
from datetime import date
from plone import api
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.privacy.units import lineage
from xinfang_archive.privacy.units import unit_parents
from xinfang_archive.vocabularies.fixed import RISK_GRADES
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines

import re


MONTH = "month"
QUARTER = "quarter"
DEFAULT_DEADLINE_DAY = 5
WORKFLOW_ID = "xf_screening_workflow"
GRADE_ORDER = [code for code, _title in RISK_GRADES]  # lowest first

_PATTERNS = {
    MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
}

# What ``collect`` reads of a report (``submitted``: the first submission's day).
ReportFacts = namedtuple(
    "ReportFacts",
    "unit period zero disputes highest_grade state submitted name url title",
)
# One row of the status table (``status``: reported, zero or missing).
StatusRow = namedtuple("StatusRow", "unit title status report late")


def screening_settings():
    """(period kind, deadline day), with the defaults when a record is missing."""
    kind = api.portal.get_registry_record(
        "xinfang_archive.screening_period", default=MONTH
    )
    day = api.portal.get_registry_record(
        "xinfang_archive.screening_deadline_day", default=DEFAULT_DEADLINE_DAY
    )
    return (kind if kind in _PATTERNS else MONTH), (day or DEFAULT_DEADLINE_DAY)


def is_period(text, kind):
    return bool(text) and _PATTERNS[kind].match(text) is not None


def kind_of(period):
    for kind, pattern in _PATTERNS.items():
        if pattern.match(period or ""):
            return kind
    raise ValueError(f"not a period: {period!r}")


def period_of(day, kind):
    if kind == QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _first_month(period):
    """(year, first month) of ``period``, and its length in months."""
    kind = kind_of(period)
    year, part = _PATTERNS[kind].match(period).groups()
    if kind == QUARTER:
        return int(year), (int(part) - 1) * 3 + 1, 3
    return int(year), int(part), 1


def _add_months(year, month, months):
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def period_bounds(period):
    """First and last day of ``period``."""
    year, month, length = _first_month(period)
    last_year, last_month = _add_months(year, month, length - 1)
    return date(year, month, 1), date(
        last_year, last_month, monthrange(last_year, last_month)[1]
    )


def deadline_of(period, deadline_day):
    """The day ``period``'s reports are due: ``deadline_day`` of the next month
    after it (the last day of that month if it is shorter)."""
    year, month, length = _first_month(period)
    year, month = _add_months(year, month, length)
    return date(year, month, min(deadline_day, monthrange(year, month)[1]))


def previous_period(period):
    year, month, length = _first_month(period)
    year, month = _add_months(year, month, -length)
    return period_of(date(year, month, 1), kind_of(period))


def last_due_period(today, kind, deadline_day):
    """The latest period whose deadline has passed by ``today``."""
    period = period_of(today, kind)
    while deadline_of(period, deadline_day) >= today:
        period = previous_period(period)
    return period


def recent_periods(today, kind, count=12):
    """The current period and the ``count - 1`` before it, newest first."""
    periods = [period_of(today, kind)]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    return periods


def highest_grade(grades):
    ranked = [grade for grade in grades if grade in GRADE_ORDER]
    return max(ranked, key=GRADE_ORDER.index) if ranked else None


def period_status(units, reports, period, deadline_day, today):
    """``(rows, totals)`` of ``period`` as of ``today``.

    ``units``: ``[(code, title)]`` in the registry's order; ``reports``:
    ``ReportFacts`` (others than ``period``'s are ignored).  ``totals`` counts
    ``reported`` (with disputes), ``zero``, ``missing`` and ``late`` rows.
    """
    deadline = deadline_of(period, deadline_day)
    by_unit = {report.unit: report for report in reports if report.period == period}
    rows = []
    totals = {"reported": 0, "zero": 0, "missing": 0, "late": 0}
    for code, title in units:
        report = by_unit.get(code)
        submitted = report.submitted if report is not None else None
        if submitted is None:
            status = "missing"
        else:
            status = "zero" if report.zero else "reported"
        late = submitted > deadline if submitted is not None else today > deadline
        totals[status] += 1
        totals["late"] += int(late)
        rows.append(StatusRow(code, title, status, report, late))
    return rows, totals


def report_units():
    """``[(code, title)]`` of the ``units`` registry list, in its order."""
    return [(row[0], row[1]) for row in parse_lines(registry_lines("units"))]


def units_under(headed, units=None, parents=None):
    """The ``(code, title)`` of ``units`` that are, or lie below, a unit in
    ``headed`` (what the heads of those units see)."""
    units = report_units() if units is None else units
    parents = unit_parents() if parents is None else parents
    headed = set(headed)
    return [
        (code, title) for code, title in units if headed & set(lineage(code, parents))
    ]


def report_id(unit, period):
    """The id of a unit's report for a period (``jsj-2026-11``)."""
    return f"{unit}-{period}".lower()


def find_report(folder, unit, period):
    """The report of ``unit`` for ``period`` in ``folder``, or None (whoever asks)."""
    for obj in reports_of_period(folder, period):
        if obj.unit == unit:
            return obj
    return None


def reports_of_period(folder, period):
    """The reports of ``period`` in ``folder`` (their ids end with the period)."""
    suffix = "-" + period.lower()
    found = []
    for name in folder.objectIds():
        if name.endswith(suffix):
            obj = folder._getOb(name)
            if (
                getattr(obj, "portal_type", None) == "ScreeningReport"
                and obj.period == period
            ):
                found.append(obj)
    return found


def first_submission(report):
    """The local day of the report's first ``submit``, or None."""
    history = getattr(report, "workflow_history", None) or {}
    for entry in history.get(WORKFLOW_ID, ()):
        if entry.get("action") == "submit" and entry.get("time") is not None:
            return entry["time"].asdatetime().astimezone(LOCAL_TIME).date()
    return None


def facts_of(report):
    rows = [row for row in (report.disputes or ()) if row]
    return ReportFacts(
        unit=report.unit,
        period=report.period,
        zero=bool(report.zero_report),
        disputes=len(rows),
        highest_grade=highest_grade(row.get("risk_grade") for row in rows),
        state=api.content.get_state(report, default=None),
        submitted=first_submission(report),
        name=report.getId(),
        url=report.absolute_url(),
        title=report.Title(),
    )


def collect(folder, period):
    """``ReportFacts`` of every report of ``period`` in ``folder``."""
    return [facts_of(report) for report in reports_of_period(folder, period)]
