"""The monthly bulletin (月通报) in the site, on the site root:

* ``@@monthly-bulletin?year=2024&month=5``: the PDF (the previous month
  without parameters);
* ``@@bulletin-data``: the figures as JSON;
* :class:`BulletinView`, what the three bulletin views share (the period asked
  for, its figures); the page 统计看板 is ``bulletin_dashboard.py``.

All three need "xinfang_archive: View bulletin" (the bureau's leaders,
inspectors and registrars; see ``profiles/default/rolemap.xml``).  The
figures count every case of the bureau, whoever asks; they name no case
title: the PDF and the JSON list overdue cases by registration number,
category and unit, and the page adds the title (and a link) only of the
cases the viewer may open, as the rest of the staff pages do.  Downloads of
the PDF and the JSON are recorded in the audit trail as exports.
"""

from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.audit.recorder import record
from xinfang_archive.browser.downloads import PDF_TYPE
from xinfang_archive.browser.downloads import refuse
from xinfang_archive.browser.downloads import send
from xinfang_archive.documents import bulletin as document
from xinfang_archive.documents.bulletin import render_bulletin
from xinfang_archive.localtime import local_today
from xinfang_archive.reports.dashboard import dashboard_data
from xinfang_archive.reports.issue import BadPeriod
from xinfang_archive.reports.issue import bulletin_titles
from xinfang_archive.reports.issue import bureau_name
from xinfang_archive.reports.issue import make_bulletin
from xinfang_archive.reports.issue import parse_period
from xinfang_archive.reports.rows import case_rows

import json


VIEW_BULLETIN = "xinfang_archive: View bulletin"  # the permission of the three views
BAD_PERIOD = _(
    "There is no bulletin for that month: give a year and a month (1 to 12), "
    "not after the current month."
)


class BulletinView(BrowserView):
    """The period asked for and its figures (computed once per request)."""

    def prepare(self):
        """False (and a 400 answer ready) when the period is not valid."""
        self.today = local_today()
        form = self.request.form
        try:
            self.period = parse_period(form.get("year"), form.get("month"), self.today)
        except BadPeriod:
            self.error = refuse(self.request, 400, BAD_PERIOD)
            return False
        self.titles = bulletin_titles()
        self.rows = case_rows()
        self.bulletin = make_bulletin(self.period, self.today, self.rows)
        return True

    def url(self, name, **params):
        query = {"year": self.period.year, "month": self.period.month, **params}
        return f"{api.portal.get().absolute_url()}/@@{name}?{urlencode(query)}"

    def recorded(self, fmt):
        record(
            "export",
            self.context,
            details={
                "what": "monthly-bulletin",
                "format": fmt,
                "period": self.period.key,
                "received": self.bulletin.received,
                "overdue": self.bulletin.overdue_total,
            },
        )


class MonthlyBulletinView(BulletinView):
    """@@monthly-bulletin: the PDF."""

    def __call__(self):
        if not self.prepare():
            return self.error
        pdf = render_bulletin(
            self.bulletin,
            self.titles,
            bureau=bureau_name(),
            issue_label=self.period.issue,
            case_titles=False,
        )
        self.recorded("pdf")
        return send(
            self.request,
            pdf,
            PDF_TYPE,
            f"{document.TITLE}-{self.period.label}.pdf",
            f"monthly-bulletin-{self.period.key}.pdf",
            disposition="inline",
        )


class BulletinDataView(BulletinView):
    """@@bulletin-data: the figures as JSON."""

    def __call__(self):
        if not self.prepare():
            return self.error
        data = dashboard_data(self.bulletin, self.titles, case_titles=False)
        data["issue"] = {"bureau": bureau_name(), "label": self.period.issue}
        self.recorded("json")
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return send(
            self.request,
            body,
            "application/json; charset=utf-8",
            f"monthly-bulletin-{self.period.key}.json",
            f"monthly-bulletin-{self.period.key}.json",
            disposition="inline",
        )
