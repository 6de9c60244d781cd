"""One issue of the monthly bulletin in the site: its period, the bureau that
issues it, the titles of the codes, and its figures from the catalog."""

from dataclasses import dataclass
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.localtime import local_today
from xinfang_archive.reports.assessment import decided_accountability
from xinfang_archive.reports.assessment import screening_periods
from xinfang_archive.reports.figures import monthly_figures
from xinfang_archive.reports.rows import case_rows
from xinfang_archive.reports.text import period_text
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines
from xinfang_archive.vocabularies.registry import titles


DEFAULT_BUREAU = "信访局"
FIRST_YEAR = 2000


class BadPeriod(ValueError):
    """A year and month that name no bulletin (not a month, or a future one)."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int

    @property
    def key(self):
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self):
        return period_text(self.year, self.month)

    @property
    def issue(self):
        """The issue of the year's series: ``2024年第5期``."""
        return f"{self.year}年第{self.month}期"


def previous_month(today):
    if today.month == 1:
        return Period(today.year - 1, 12)
    return Period(today.year, today.month - 1)


def parse_period(year, month, today):
    """The period of the request's ``year`` and ``month`` (the previous month
    when both are empty); :class:`BadPeriod` for anything else, or a month
    after the current one."""
    if not year and not month:
        return previous_month(today)
    try:
        period = Period(int(year), int(month))
    except (TypeError, ValueError):
        raise BadPeriod(f"{year}-{month}") from None
    if not (
        1 <= period.month <= 12
        and period.year >= FIRST_YEAR
        and (period.year, period.month) <= (today.year, today.month)
    ):
        raise BadPeriod(period.key)
    return period


def bureau_name():
    """The bureau that issues the bulletin: the fonds name of the filing
    settings (全宗名称, e.g. 城西县信访局)."""
    settings = filing_settings()
    return (getattr(settings, "fonds_name", "") or "").strip() or DEFAULT_BUREAU


def unit_titles():
    """``{code: title}`` of the units; a village is named with its township
    (城关镇东村), as its own name may repeat elsewhere."""
    rows = {row[0]: row for row in parse_lines(registry_lines("units"))}
    result = {}
    for code, row in rows.items():
        parent = rows.get(row[2]) if len(row) > 2 and row[2] else None
        village = len(row) > 3 and row[3] == "village"
        result[code] = parent[1] + row[1] if village and parent is not None else row[1]
    return result


def bulletin_titles():
    """The titles of the codes the bulletin prints, from the registry vocabularies."""
    return {
        "category": titles("categories"),
        "channel": titles("channels"),
        "unit": unit_titles(),
        "grade": titles("grades"),
    }


def make_bulletin(period, today=None, rows=None):
    """The figures of ``period`` as of ``today``, from the catalog's rows, the
    screening reports due in the month and the accountability records."""
    today = today or local_today()
    rows = case_rows() if rows is None else rows
    return monthly_figures(
        rows,
        period.year,
        period.month,
        today,
        screening=screening_periods(period.year, period.month, today),
        accountability=decided_accountability(),
    )
