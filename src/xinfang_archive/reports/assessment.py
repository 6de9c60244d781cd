"""目标管理考核: what the bulletin's unit ranking reads of the site besides the
cases: the screening periods due in a month (``reports/screening.py``) and
the accountability records decided (责任追究), as the pure shapes of
``reports/figures.py``.  Read whatever the reader may view: the bulletin
counts every unit."""

from datetime import date
from datetime import timedelta
from plone import api
from xinfang_archive.reports import screening
from xinfang_archive.reports.figures import Accountability
from xinfang_archive.reports.figures import month_end
from xinfang_archive.reports.figures import ScreeningPeriod


SCREENING_ID = "screening"
DECIDED = "decided"


def periods_due(year, month, kind, deadline_day):
    """The screening periods whose deadline falls in ``year``/``month``."""
    start, end = date(year, month, 1), month_end(year, month)
    period = screening.period_of(start - timedelta(days=1), kind)
    found = []
    for _step in range(4):  # a deadline falls at most one period after it ends
        deadline = screening.deadline_of(period, deadline_day)
        if start <= deadline <= end:
            found.append(period)
        period = screening.previous_period(period)
    return sorted(found)


def screening_periods(year, month, today):
    """``ScreeningPeriod`` s of the month as of ``today`` (none without the folder)."""
    folder = api.portal.get().get(SCREENING_ID)
    if folder is None:
        return []
    kind, deadline_day = screening.screening_settings()
    units = screening.report_units()
    result = []
    for period in periods_due(year, month, kind, deadline_day):
        rows, _totals = screening.period_status(
            units, screening.collect(folder, period), period, deadline_day, today
        )
        result.append(
            ScreeningPeriod(
                period,
                screening.deadline_of(period, deadline_day),
                tuple((row.unit, row.status, bool(row.late)) for row in rows),
            )
        )
    return result


def decided_accountability():
    """``Accountability`` of every decided record (unrestricted: the ranking counts all)."""
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog.unrestrictedSearchResults(
        portal_type="AccountabilityRecord", review_state=DECIDED
    ):
        record = brain._unrestrictedGetObject()
        day = getattr(record, "decision_date", None)
        if getattr(record, "unit", None) and day is not None:
            found.append(Accountability(record.unit, day))
    return found
