"""Pages of the leaders' reception days (领导信访接待日).

@@receptions        (folder, its default view) the public schedule of coming
                    reception days; for the registrar also the latest records
@@receptions-feed   (folder) the same schedule as RSS 2.0
view, content-core  (reception) the reception day; for staff its record:
                    minutes, the cases received with the leader's
                    instructions and follow-ups, why it may not be published
"""

from datetime import datetime
from email.utils import format_datetime
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.content.indexers import html_text
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.permissions import AddLeaderReception
from xinfang_archive.permissions import ViewReceptionMinutes
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.receptions.rules import transition_problems
from xinfang_archive.receptions.schedule import known_addresses
from xinfang_archive.receptions.schedule import public_entry
from xinfang_archive.receptions.schedule import received
from xinfang_archive.receptions.schedule import upcoming
from xinfang_archive.workflow.titles import object_state_text
from xinfang_archive.workflow.titles import state_text
from zope.i18n import translate

import lxml.etree


PAGE_SIZE = 20
FEED_SIZE = 50
STAFF_LIST = 30


def _start(request):
    try:
        return max(0, int(request.form.get("b_start", 0)))
    except (TypeError, ValueError):
        return 0


class ReceptionsView(BrowserView):
    template = ViewPageTemplateFile("templates/receptions.pt")

    def __call__(self):
        self.start = _start(self.request)
        self.total, self.page = upcoming(self.context, PAGE_SIZE, self.start)
        return self.template()

    def receptions(self):
        return [public_entry(reception) for reception in self.page]

    def next_start(self):
        return self.start + PAGE_SIZE if self.start + PAGE_SIZE < self.total else None

    def previous_start(self):
        return max(0, self.start - PAGE_SIZE) if self.start else None

    def is_staff(self):
        return api.user.has_permission(AddLeaderReception, obj=self.context)

    def latest(self):
        """The latest reception days in any state, for the registrar (as the user)."""
        if not self.is_staff():
            return []
        brains = api.portal.get_tool("portal_catalog")(
            portal_type="LeaderReception",
            path="/".join(self.context.getPhysicalPath()),
            sort_on="start",
            sort_order="descending",
            sort_limit=STAFF_LIST,
        )[:STAFF_LIST]
        return [
            {
                "title": b.Title,
                "url": b.getURL(),
                "state": state_text(b.review_state, "LeaderReception", self.request),
            }
            for b in brains
        ]


def _rfc822(moment):
    return format_datetime(moment)


class ReceptionsFeedView(BrowserView):
    """RSS 2.0 of the coming reception days: the public fields only."""

    def __call__(self):
        _total, receptions = upcoming(self.context, FEED_SIZE)
        E = lxml.etree
        rss = E.Element("rss", version="2.0")
        channel = E.SubElement(rss, "channel")
        E.SubElement(channel, "title").text = self.context.Title()
        E.SubElement(channel, "link").text = self.context.absolute_url()
        E.SubElement(channel, "description").text = translate(
            _("Coming leader reception days"), context=self.request
        )
        E.SubElement(channel, "language").text = "zh-cn"
        E.SubElement(channel, "lastBuildDate").text = _rfc822(
            datetime.now(LOCAL_TIME).replace(microsecond=0)
        )
        for reception in receptions:
            entry = public_entry(reception)
            item = E.SubElement(channel, "item")
            E.SubElement(item, "title").text = entry["title"]
            E.SubElement(item, "link").text = entry["url"]
            E.SubElement(item, "guid", isPermaLink="true").text = entry["url"]
            E.SubElement(item, "pubDate").text = _rfc822(reception.starts())
            parts = [
                f"{entry['reception_date'].isoformat()} {entry['time']}",
                entry["place"],
                f"{entry['leader']}（{entry['post']}）",
                entry["responsibilities"],
                entry["notes"],
            ]
            E.SubElement(item, "description").text = "；".join(p for p in parts if p)
        self.request.response.setHeader(
            "Content-Type", "application/rss+xml; charset=utf-8"
        )
        return E.tostring(
            rss, xml_declaration=True, encoding="utf-8", pretty_print=True
        )


class ReceptionPage(BrowserView):
    def entry(self):
        return public_entry(self.context)

    def state_title(self):
        return object_state_text(self.context, self.request)

    def may_read_record(self):
        return bool(api.user.has_permission(ViewReceptionMinutes, obj=self.context))

    def minutes_html(self):
        """The minutes as HTML for those who may see personal data; else None."""
        minutes = getattr(self.context, "minutes", None)
        if (
            minutes is None
            or not self.may_read_record()
            or not can_view_personal_data(self.context)
        ):
            return None
        return minutes.output

    def minutes_text(self):
        """The minutes as plain text with personal numbers masked, for the others."""
        if not self.may_read_record() or self.minutes_html() is not None:
            return None
        return (
            text_for_viewer(
                self.context,
                html_text(getattr(self.context, "minutes", None)),
                known_addresses(self.context),
            )
            or None
        )

    def cases(self):
        """The cases received the user may View (their unit's, or all for the bureau)."""
        if api.user.is_anonymous():
            return []
        return received(self.context)

    def problems(self):
        """Why the registrar may not publish or record the day now."""
        if not api.user.has_permission("Modify portal content", obj=self.context):
            return []
        state = api.content.get_state(self.context, default=None)
        wanted = {"planned": ("publish",), "published": ("hold",)}.get(state, ())
        return [
            translate(p, context=self.request)
            for tid in wanted
            for p in transition_problems(self.context, tid)
        ]
