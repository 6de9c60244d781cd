"""会议 pages: a coordination meeting, and its decisions on the case page.

Each reader sees the decisions on the cases they may read (not those on a
case they may not view, nor those on a case with accusation material unless
they may see it: ``meetings/decisions.py``); the free text is masked for
those without "View personal data", against the case it is about.
"""

from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.meetings.decisions import decision_rows_of_meeting
from xinfang_archive.meetings.decisions import decisions_on_case
from xinfang_archive.meetings.decisions import rows_of
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.workflow.titles import object_state_text
from zope.i18n import translate


def _due(row):
    due = row.get("due_date")
    return due.isoformat() if due else ""


def decision_rows_of_case(case, request):
    """The finalized decisions on ``case`` as its page shows them."""
    units = unit_paths()
    rows = []
    for meeting, row in decisions_on_case(case):
        rows.append(
            {
                "meeting": meeting.Title(),
                "meeting_url": meeting.absolute_url()
                if api.user.has_permission("View", obj=meeting)
                else "",
                "chair": meeting.chair or "",
                "unit": units.get(row.get("unit"), row.get("unit") or ""),
                "due_date": _due(row),
                "instructions": text_for_viewer(case, row.get("instructions") or ""),
                "settled": bool(row.get("settled")),
                "settled_text": translate(
                    _(
                        "Settled at meeting ${meeting}",
                        mapping={"meeting": meeting.Title()},
                    ),
                    context=request,
                ),
            }
        )
    return rows


class MeetingView(BrowserView):
    index = ViewPageTemplateFile("templates/meeting_view.pt")

    def __call__(self):
        return self.index()

    def state_title(self):
        return object_state_text(self.context, self.request)

    def unit_titles(self):
        units = unit_paths()
        return "、".join(
            units.get(code, code) for code in self.context.attendee_units or ()
        )

    def decisions(self):
        return decision_rows_of_meeting(self.context)

    def hidden_count(self):
        """Decisions on cases the reader may not read: counted, not shown."""
        return len(rows_of(self.context)) - len(self.decisions())

    def minutes(self):
        minutes = getattr(self.context, "minutes", None)
        return (
            text_for_viewer(self.context, minutes.output)
            if minutes is not None and minutes.raw
            else ""
        )
