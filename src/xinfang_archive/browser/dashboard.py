"""信访工作台 dashboard: my cases, due soon, overdue, by unit and grade, supervisions.

Counts come straight from the catalog indexes (set intersections, no brains),
lists from ordinary, permission-filtered catalog queries limited to what is
shown, so the page stays fast with 100,000 cases.
"""

from datetime import date
from datetime import timedelta
from plone import api
from Products.Five.browser import BrowserView
from xinfang_archive import _
from xinfang_archive.browser.warnings import warning_rows
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.units import units_of
from xinfang_archive.setuphandlers import WARNINGS_ID
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines
from xinfang_archive.vocabularies.registry import titles
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.workflow.states import OPEN_STATES
from xinfang_archive.workflow.titles import state_text
from xinfang_archive.worklists.counts import CaseCounts
from zope.i18n import translate


LIST_LIMIT = 50
WARNINGS_SHOWN = 5


class DashboardView(BrowserView):
    def __call__(self):
        self.today = local_today()
        self.catalog = api.portal.get_tool("portal_catalog")
        self.soon = self.today + timedelta(days=get_settings().due_soon_days)
        self._counts = CaseCounts(self.catalog, self.today)
        return self.index()

    def due_soon_days(self):
        return (self.soon - self.today).days

    def sections(self):
        """The three case lists, each with its id and translated heading."""
        return [
            {
                "id": "xf-overdue",
                "title": translate(_("Overdue"), context=self.request),
                "rows": self.overdue(),
            },
            {
                "id": "xf-due-soon",
                "title": translate(
                    _(
                        "due_within_days",
                        default="Due within ${days} days",
                        mapping={"days": self.due_soon_days()},
                    ),
                    context=self.request,
                ),
                "rows": self.due_soon(),
            },
            {
                "id": "xf-my-cases",
                "title": translate(_("My cases"), context=self.request),
                "rows": self.my_cases(),
            },
        ]

    def counts(self):
        return {
            "open": len(self._counts.open_rids()),
            "overdue": len(self._counts.overdue_rids()),
            "due_soon": len(self._counts.due_by(self.soon)),
        }

    def by_unit(self):
        """Open cases per responsible unit; those not routed yet come first."""
        return self._counts.by_unit(
            translate(_("Not routed yet"), context=self.request)
        )

    def by_grade(self):
        rows = [(row[0], row[1]) for row in parse_lines(registry_lines("grades"))]
        return self._counts.breakdown("case_grade", rows)

    # -- lists (security-filtered) --------------------------------------------------
    def _cases(self, **query):
        return self.catalog(
            portal_type="PetitionCase",
            review_state=OPEN_STATES,
            sort_on="case_deadline",
            sort_limit=LIST_LIMIT,
            **query,
        )[:LIST_LIMIT]

    def overdue(self):
        return self._rows(
            self._cases(
                case_deadline={"query": self.today - timedelta(days=1), "range": "max"}
            )
        )

    def due_soon(self):
        return self._rows(
            self._cases(
                case_deadline={"query": (self.today, self.soon), "range": "min:max"}
            )
        )

    def my_cases(self):
        """Open cases the user registered or handles, or that the user's
        units handle, by deadline."""
        user_id = api.user.get_current().getId()
        brains = {b.UID: b for b in self._cases(Creator=user_id)}
        brains.update({b.UID: b for b in self._cases(case_handler=user_id)})
        handled, _headed = units_of(user_id)
        if handled:
            brains.update({b.UID: b for b in self._cases(case_unit=handled)})
        ordered = sorted(
            brains.values(),
            key=lambda b: (b.case_deadline is None, b.case_deadline or date.max),
        )
        return self._rows(ordered[:LIST_LIMIT])

    def _rows(self, brains):
        units = unit_paths()
        grades = titles("grades")
        state_titles = {}
        rows = []
        for brain in brains:
            deadline = brain.case_deadline
            left = (deadline - self.today).days if isinstance(deadline, date) else None
            rows.append(
                {
                    "url": brain.getURL(),
                    "number": brain.registration_number,
                    "title": brain.Title,
                    "state": state_titles.get(brain.review_state)
                    or state_titles.setdefault(
                        brain.review_state,
                        state_text(brain.review_state, "PetitionCase", self.request),
                    ),
                    "unit": units.get(brain.case_unit, brain.case_unit or ""),
                    "grade": grades.get(brain.case_grade, brain.case_grade or ""),
                    "deadline": deadline,
                    "days_left": left,
                    "overdue": left is not None and left < 0,
                }
            )
        return rows

    def warnings(self):
        """The warnings box: how many warnings the user may see are not yet
        acknowledged, and the latest of them (one catalog query)."""
        folder = api.portal.get().get(WARNINGS_ID)
        if folder is None:
            return None
        brains = self.catalog(
            portal_type="EarlyWarning",
            review_state="raised",
            sort_on="created",
            sort_order="descending",
            sort_limit=WARNINGS_SHOWN,
        )
        return {
            "open": brains.actual_result_count,
            "rows": warning_rows(brains[:WARNINGS_SHOWN], self.request),
            "url": folder.absolute_url(),
        }

    def supervisions(self):
        brains = self.catalog(
            portal_type="Supervision",
            case_deadline={"query": date(1900, 1, 1), "range": "min"},
            sort_on="case_deadline",
            sort_limit=LIST_LIMIT,
        )[:LIST_LIMIT]
        rows = []
        for brain in brains:
            deadline = brain.case_deadline
            rows.append(
                {
                    "url": brain.getURL(),
                    "title": brain.Title,
                    "case_url": brain.getURL().rsplit("/", 1)[0],
                    "deadline": deadline,
                    "overdue": isinstance(deadline, date) and deadline < self.today,
                }
            )
        return rows
