"""@@bulletin-dashboard on the site root: 统计看板, the monthly bulletin's
figures as a page, with the bulletin's charts inline as SVG, a month picker
and the PDF and JSON to download (see ``bulletin.py``).  Overdue cases get
their title and a link only where the viewer may open them.
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.browser.bulletin import BulletinView
from xinfang_archive.documents import bulletin as document
from xinfang_archive.localtime import chinese_day
from xinfang_archive.reports.breakdown import breakdown_rows
from xinfang_archive.reports.dashboard import dashboard_data
from xinfang_archive.reports.facts import CASE_TYPE
from xinfang_archive.reports.figures import RATE_NAMES
from xinfang_archive.reports.issue import bureau_name
from xinfang_archive.reports.issue import FIRST_YEAR
from xinfang_archive.reports.svg import inline_svg
from xinfang_archive.reports.text import NO_DATA
from xinfang_archive.reports.text import rate_cell
from xinfang_archive.reports.text import score_note_text
from xinfang_archive.reports.text import share_text
from xinfang_archive.reports.text import summary_text
from xinfang_archive.reports.titles import DIMENSION_TITLES
from xinfang_archive.reports.titles import RATE_DEFINITIONS
from xinfang_archive.reports.titles import RATE_NOTE
from xinfang_archive.reports.titles import RATE_TITLES
from xinfang_archive.reports.titles import Titles
from zope.i18n import translate


CHART_WIDTH = 640
PIE_WIDTH = 360


class BulletinDashboardView(BulletinView):
    """@@bulletin-dashboard: 统计看板."""

    def __call__(self):
        if not self.prepare():
            return self.error
        self.names = Titles(self.titles)
        self.data = dashboard_data(self.bulletin, self.titles, case_titles=False)
        return self.index()

    def _t(self, message):
        return translate(message, context=self.request)

    # -- heading and picker --------------------------------------------------

    def heading(self):
        return {
            "period": self.period.label,
            "issue": self.period.issue,
            "bureau": bureau_name(),
            "start": chinese_day(self.bulletin.start),
            "end": chinese_day(self.bulletin.end),
            "today": chinese_day(self.today),
            "pdf": self.url("monthly-bulletin"),
            "json": self.url("bulletin-data"),
            "dashboard": f"{api.portal.get().absolute_url()}/@@bulletin-dashboard",
        }

    def years(self):
        first = min(
            (row.received.year for row in self.rows if row.received),
            default=self.today.year,
        )
        first = max(FIRST_YEAR, min(first, self.period.year))
        return [
            {"value": year, "selected": year == self.period.year}
            for year in range(self.today.year, first - 1, -1)
        ]

    def months(self):
        return [
            {"value": month, "selected": month == self.period.month}
            for month in range(1, 13)
        ]

    def summary(self):
        return summary_text(self.bulletin, self.names)

    # -- figures --------------------------------------------------------------

    def totals(self):
        changes = self.data["changes"]
        return {
            "received": self.bulletin.received,
            "people": self.bulletin.intake.people,
            "previous": changes["month_over_month"]["previous"],
            "month_over_month": changes["month_over_month"]["text"],
            "last_year": changes["year_over_year"]["previous"],
            "year_over_year": changes["year_over_year"]["text"],
            "year_to_date": self.bulletin.intake_ytd.total,
        }

    def breakdown(self, dimension):
        """Title and rows of one dimension, as the bulletin's table."""
        month_total, ytd_total = (
            self.bulletin.intake.total,
            self.bulletin.intake_ytd.total,
        )
        rows = [
            {
                "title": title,
                "month": month,
                "month_share": share_text(month, month_total),
                "ytd": ytd,
                "ytd_share": share_text(ytd, ytd_total),
            }
            for _code, title, month, ytd in breakdown_rows(
                self.bulletin, dimension, self.names
            )
        ]
        return {
            "id": f"xf-bulletin-{dimension}",
            "title": self.dimension_title(dimension),
            "rows": rows,
            "month": month_total,
            "ytd": ytd_total,
        }

    def dimension_title(self, dimension):
        return DIMENSION_TITLES[dimension]

    def rate_title(self, name):
        return RATE_TITLES[name]

    def special(self):
        month, ytd = self.bulletin.intake, self.bulletin.intake_ytd
        share = share_text
        lines = (
            (
                _("Repeat petitions (cases)"),
                month.repeat,
                month.total,
                ytd.repeat,
                ytd.total,
            ),
            (
                _("Skip-level petitions (cases)"),
                month.skip_level,
                month.total,
                ytd.skip_level,
                ytd.total,
            ),
            (
                _("Collective petitions (groups)"),
                month.collective,
                month.total,
                ytd.collective,
                ytd.total,
            ),
            (
                _("Collective petitions (people)"),
                month.collective_people,
                month.people,
                ytd.collective_people,
                ytd.people,
            ),
        )
        return [
            {
                "title": self._t(title),
                "month": now,
                "month_share": share(now, now_total),
                "ytd": then,
                "ytd_share": share(then, then_total),
            }
            for title, now, now_total, then, then_total in lines
        ]

    def rates(self):
        return [
            {
                "name": name,
                "title": RATE_TITLES[name],
                "month": rate_cell(getattr(self.bulletin.rates, name)),
                "ytd": rate_cell(getattr(self.bulletin.rates_ytd, name)),
                "definition": RATE_DEFINITIONS[name],
            }
            for name in RATE_NAMES
        ]

    def rate_note(self):
        return RATE_NOTE

    def units(self):
        return [
            {
                "rank": unit.rank,
                "title": self.names("unit", unit.code),
                "received": unit.received,
                "handling": rate_cell(unit.handling_on_time),
                "satisfaction": rate_cell(unit.satisfaction),
                "open": unit.open,
                "overdue": unit.overdue,
                "score": NO_DATA if unit.score is None else f"{unit.score:.2f}",
            }
            for unit in self.bulletin.units
        ]

    def score_note(self):
        return score_note_text()

    def overdue(self):
        """The listed overdue cases; title and link only where the viewer may View the case."""
        cases = self.data["overdue"]["cases"]
        visible = {}
        if cases:
            catalog = api.portal.get_tool("portal_catalog")
            for brain in catalog(
                portal_type=CASE_TYPE, UID=[case["uid"] for case in cases]
            ):
                visible[brain.UID] = (brain.Title, brain.getURL())
        rows = []
        for number, case in enumerate(cases, start=1):
            title, url = visible.get(case["uid"], (None, None))
            rows.append(dict(case, number=number, title=title, url=url))
        return rows

    def overdue_counts(self):
        overdue = self.data["overdue"]
        return {
            "total": overdue["total"],
            "not_listed": overdue["not_listed"],
            "limit": overdue["limit"],
        }

    # -- charts ---------------------------------------------------------------

    def charts(self):
        """The bulletin's four charts as inline SVG, keyed by name (None when
        there is nothing to draw, as in the PDF)."""
        bulletin, names = self.bulletin, self.names
        charts = {
            "intake": inline_svg(
                document.intake_chart(bulletin, CHART_WIDTH),
                "xf-chart-intake",
                self._t(_("Intake of the last twelve months")),
            )
        }
        charts["category"] = charts["channel"] = charts["ranking"] = None
        if bulletin.received:
            charts["category"] = inline_svg(
                document.category_chart(bulletin, names, CHART_WIDTH),
                "xf-chart-category",
                self._t(_("Cases of the month by category")),
            )
            charts["channel"] = inline_svg(
                document.channel_chart(bulletin, names, PIE_WIDTH),
                "xf-chart-channel",
                self._t(_("Cases of the month by channel")),
            )
        if any(unit.score is not None for unit in bulletin.units):
            charts["ranking"] = inline_svg(
                document.ranking_chart(bulletin, names, CHART_WIDTH),
                "xf-chart-ranking",
                self._t(_("Scores of the responsible units")),
            )
        return charts
