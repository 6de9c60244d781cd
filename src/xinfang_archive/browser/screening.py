"""@@screening-status (矛盾纠纷排查): per period, which units reported,
which filed a zero report, which have not, and who is late.

The figures come from ``reports.screening``; this view only picks the
period and the units the user may see, and renders.  The bureau's roles see
every unit; a unit head sees the units they head and those below them.
"""

from AccessControl import Unauthorized
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.localtime import local_today
from xinfang_archive.permissions import AddAccountabilityRecord
from xinfang_archive.permissions import ViewScreeningStatus
from xinfang_archive.privacy.units import units_of
from xinfang_archive.reports import screening
from xinfang_archive.setuphandlers import ACCOUNTABILITY_ID
from xinfang_archive.vocabularies.fixed import RISK_GRADES
from xinfang_archive.workflow.titles import state_text
from zope.i18n import translate

import urllib.parse


STATUS_TITLES = {
    "reported": _("Reported"),  # 已报告
    "zero": _("Zero report"),  # 零报告
    "missing": _("Not reported"),  # 未报告
}


class ScreeningStatusView(BrowserView):
    template = ViewPageTemplateFile("templates/screening_status.pt")

    def __call__(self):
        self.units = self.visible_units()
        if not self.units:
            raise Unauthorized("screening-status")
        self.kind, self.deadline_day = screening.screening_settings()
        self.today = local_today()
        self.periods = screening.recent_periods(self.today, self.kind)
        default = screening.last_due_period(self.today, self.kind, self.deadline_day)
        asked = self.request.form.get("period")
        self.period = asked if screening.is_period(asked, self.kind) else default
        if self.period not in self.periods:
            self.periods.append(self.period)
        self.deadline = screening.deadline_of(self.period, self.deadline_day)
        self.rows, self.totals = screening.period_status(
            self.units,
            screening.collect(self.context, self.period),
            self.period,
            self.deadline_day,
            self.today,
        )
        return self.template()

    def visible_units(self):
        if api.user.is_anonymous():
            return []
        units = screening.report_units()
        if api.user.has_permission(ViewScreeningStatus, obj=self.context):
            return units
        _handled, headed = units_of(api.user.get_current().getId())
        return screening.units_under(headed, units)

    def t(self, message):
        return translate(message, context=self.request)

    def table(self):
        grades = dict(RISK_GRADES)
        rows = []
        for row in self.rows:
            report = row.report
            can_view = report is not None and self._can_view(report.name)
            rows.append(
                {
                    "unit": row.title,
                    "status": self.t(STATUS_TITLES[row.status]),
                    "status_class": f"xf-screening-{row.status}",
                    "late": row.late,
                    "disputes": report.disputes
                    if report is not None and not report.zero
                    else "",
                    "grade": self.t(grades[report.highest_grade])
                    if report is not None and report.highest_grade
                    else "",
                    "state": self._state(report),
                    "submitted": report.submitted.isoformat()
                    if report is not None and report.submitted
                    else "",
                    "url": report.url if can_view else None,
                    "title": report.title if report is not None else "",
                    "accountability_url": self.accountability_url(row)
                    if row.late
                    else None,
                }
            )
        return rows

    def accountability_url(self, row):
        """The add form of an accountability record (漏报零报告) for a unit late
        with this period's report, pre-filled; None for who may not add one."""
        folder = api.portal.get().get(ACCOUNTABILITY_ID)
        if (
            folder is None
            or not api.user.has_permission(AddAccountabilityRecord, obj=folder)
            or not api.user.has_permission("Add portal content", obj=folder)
        ):
            return None
        query = [
            ("form.widgets.cause:list", "missing_report"),
            ("form.widgets.unit:list", row.unit),
        ]
        report = row.report
        if report is not None:
            obj = self.context.get(report.name)
            if obj is not None:
                query.append(("form.widgets.screening_reports", obj.UID()))
        else:
            query.append(("form.widgets.screening_periods", self.period))
        return f"{folder.absolute_url()}/++add++AccountabilityRecord?{urllib.parse.urlencode(query)}"

    def _state(self, report):
        if report is None or report.state is None:
            return ""
        return state_text(report.state, "ScreeningReport", self.request)

    def _can_view(self, name):
        obj = self.context.get(name)
        return obj is not None and api.user.has_permission("View", obj=obj)
