"""Pages of hearings and of the public board of minutes.

@@mask-preview   (transcript) every mask side by side with the original;
                 the organizer removes or adds masks, then publishes
@@notice-board   (听证公告) the public listing of published minutes
@@feed           (听证公告) its Atom feed
view             (notice) the published minutes
@@minutes.pdf    (notice) the same as PDF
"""

from datetime import datetime
from datetime import time
from html import escape
from plone import api
from plone.protect import CheckAuthenticator
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.browser.downloads import PDF_TYPE
from xinfang_archive.browser.downloads import send
from xinfang_archive.documents.minutes import render_minutes
from xinfang_archive.hearings import masks as masking
from xinfang_archive.hearings.publication import notice_of
from xinfang_archive.hearings.rules import publish_problems
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.vocabularies.fixed import HEARING_ROLES
from xinfang_archive.workflow.titles import object_state_text
from zope.i18n import translate

import lxml.etree


KIND_TITLES = {
    "name": _("Name"),
    "id_number": _("ID number"),
    "phone": _("Phone"),
    "address": _("Address"),
    "plate": _("Vehicle plate"),
    "custom": _("Added by hand"),
}
PAGE_SIZE = 20


def _t(message, request):
    return translate(message, context=request)


def _as_list(value):
    if not value:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def role_titles(request):
    return {code: _t(title, request) for code, title in HEARING_ROLES}


def marked_html(text, masks, excluded, masked):
    """``text`` as HTML with each mask shown: the original (left column) or
    its replacement (right column); masks not applied are shown struck."""
    parts, cursor = [], 0
    for mask in masks:
        parts.append(escape(text[cursor : mask.start]))
        off = mask.key in excluded
        shown = mask.original if (off or not masked) else mask.replacement
        css = "xf-mask-off" if off else "xf-mask"
        parts.append(
            f'<mark class="{css}" title="{escape(mask.key)}">{escape(shown)}</mark>'
        )
        cursor = mask.end
    parts.append(escape(text[cursor:]))
    return "".join(parts).replace("\n", "<br/>")


class MaskPreviewView(BrowserView):
    """The organizer's review of the masks before publication."""

    template = ViewPageTemplateFile("templates/mask_preview.pt")

    def __call__(self):
        self.messages = []
        form = self.request.form
        if self.request.method == "POST" and (
            "form.save" in form or "form.publish" in form
        ):
            CheckAuthenticator(self.request)
            if not self.can_save():
                api.portal.show_message(
                    _(
                        "Published or filed minutes keep their masks: withdraw the publication first."
                    ),
                    self.request,
                    type="error",
                )
                self.request.response.setStatus(409)
                return self.template()
            if form.get("shown_digest") != masking.review_digest(self.context):
                # The page was computed on other data: the organizer has not
                # seen the masks that saving would approve.
                api.portal.show_message(
                    _(
                        "The transcript or the parties changed after this page was shown: "
                        "check the masks again."
                    ),
                    self.request,
                    type="error",
                )
                self.request.response.setStatus(409)
                return self.template()
            self.save(form)
            if "form.publish" in form:
                return self.publish()
            api.portal.show_message(_("The masks were saved."), self.request)
        return self.template()

    def save(self, form):
        context = self.context
        shown, kept = set(_as_list(form.get("shown"))), set(_as_list(form.get("apply")))
        additions = [
            line.strip()
            for line in (form.get("additions") or "").splitlines()
            if line.strip()
        ]
        previous = set(context.mask_exclusions or ())
        # Keys not shown on this page (masks gone from the text) keep their choice.
        context.mask_exclusions = sorted((previous - shown) | (shown - kept))
        context.mask_additions = sorted(set(additions))
        context.mask_review_digest = masking.review_digest(context)
        context.mask_reviewed_by = api.user.get_current().getId()
        context.mask_reviewed_on = datetime.now(LOCAL_TIME).replace(tzinfo=None)

    def publish(self):
        try:
            api.content.transition(obj=self.context, transition="publish")
        except (WorkflowException, api.exc.InvalidParameterError):
            problems = publish_problems(self.context)
            for problem in problems:
                api.portal.show_message(problem, self.request, type="error")
            if not problems:
                api.portal.show_message(
                    _("The minutes cannot be published in their present state."),
                    self.request,
                    type="error",
                )
            return self.template()
        notice = notice_of(self.context)
        api.portal.show_message(_("The minutes are published."), self.request)
        self.request.response.redirect(notice.absolute_url())
        return ""

    # -- what the template shows ------------------------------------------------
    def state(self):
        return api.content.get_state(self.context, default="")

    def problems(self):
        return [_t(p, self.request) for p in publish_problems(self.context)]

    def can_publish(self):
        return self.state() == "approved"

    def can_save(self):
        """Masks are chosen before publication; a published notice changes
        only by withdrawing it and publishing again, a filed one never."""
        return self.state() in ("draft", "submitted", "approved")

    def sections(self):
        excluded = set(self.context.mask_exclusions or ())
        labels = self.field_labels()
        out = []
        for field, (text, masks) in masking.masks_by_field(self.context).items():
            if not text:
                continue
            out.append(
                {
                    "label": labels(field),
                    "original": marked_html(text, masks, excluded, masked=False),
                    "masked": marked_html(text, masks, excluded, masked=True),
                }
            )
        return out

    def field_labels(self):
        fixed = {
            "title": _t(_("Subject"), self.request),
            "agenda": _t(_("Agenda"), self.request),
            "free_text": _t(_("Free text"), self.request),
        }
        speaker, said = (
            _t(_("Speaker"), self.request),
            _t(_("What was said"), self.request),
        )

        def label(field):
            if field in fixed:
                return fixed[field]
            _turns, number, part = field.split(".")
            return f"{int(number) + 1}. {speaker if part == 'speaker' else said}"

        return label

    def mask_rows(self):
        excluded = set(self.context.mask_exclusions or ())
        rows = {}
        for _text, masks in masking.masks_by_field(self.context).values():
            for mask in masks:
                row = rows.setdefault(
                    mask.key,
                    {
                        "key": mask.key,
                        "kind": _t(KIND_TITLES.get(mask.kind, mask.kind), self.request),
                        "original": mask.original,
                        "replacement": mask.replacement,
                        "count": 0,
                        "applied": mask.key not in excluded,
                    },
                )
                row["count"] += 1
        return list(rows.values())

    def additions(self):
        return "\n".join(self.context.mask_additions or ())

    def shown_digest(self):
        """What this page's masks were computed on (checked when it is posted)."""
        return masking.review_digest(self.context)

    def reviewed(self):
        if not self.context.mask_reviewed_on:
            return None
        return {
            "by": self.context.mask_reviewed_by,
            "on": self.context.mask_reviewed_on.strftime("%Y-%m-%d %H:%M"),
            "current": self.context.mask_review_digest
            == masking.review_digest(self.context),
        }

    def notice(self):
        return notice_of(self.context)


def published_notices(board, limit=None, start=0):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(
        portal_type="HearingNotice",
        review_state="published",
        path="/".join(board.getPhysicalPath()),
        sort_on="created",
        sort_order="descending",
    )
    return brains, (brains[start : start + limit] if limit else brains)


class NoticeBoardView(BrowserView):
    template = ViewPageTemplateFile("templates/notice_board.pt")

    def __call__(self):
        try:
            self.start = max(0, int(self.request.form.get("b_start", 0)))
        except ValueError:
            self.start = 0
        return self.template()

    def notices(self):
        brains, page = published_notices(self.context, PAGE_SIZE, self.start)
        self.total = len(brains)
        return [brain.getObject() for brain in page]

    def next_start(self):
        return self.start + PAGE_SIZE if self.start + PAGE_SIZE < self.total else None

    def previous_start(self):
        return max(0, self.start - PAGE_SIZE) if self.start else None


ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _atom_time(day):
    return datetime.combine(day, time(0, 0), LOCAL_TIME).isoformat()


class NoticeFeedView(BrowserView):
    """Atom feed of the published minutes (newest first)."""

    def __call__(self):
        _brains, page = published_notices(self.context, FEED_SIZE)
        notices = [brain.getObject() for brain in page]
        E = lxml.etree
        feed = E.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
        E.SubElement(feed, f"{{{ATOM}}}title").text = self.context.Title()
        E.SubElement(feed, f"{{{ATOM}}}id").text = self.context.absolute_url()
        E.SubElement(
            feed,
            f"{{{ATOM}}}link",
            rel="self",
            href=self.context.absolute_url() + "/@@feed",
        )
        E.SubElement(
            feed, f"{{{ATOM}}}link", rel="alternate", href=self.context.absolute_url()
        )
        newest = max((n.published_on for n in notices), default=None)
        E.SubElement(feed, f"{{{ATOM}}}updated").text = (
            _atom_time(newest)
            if newest
            else _atom_time(datetime.now(LOCAL_TIME).date())
        )
        roles = role_titles(self.request)
        for notice in notices:
            entry = E.SubElement(feed, f"{{{ATOM}}}entry")
            E.SubElement(
                entry, f"{{{ATOM}}}title"
            ).text = f"{notice.hearing_number} {notice.title}"
            E.SubElement(entry, f"{{{ATOM}}}id").text = notice.absolute_url()
            E.SubElement(
                entry, f"{{{ATOM}}}link", rel="alternate", href=notice.absolute_url()
            )
            E.SubElement(
                entry,
                f"{{{ATOM}}}link",
                rel="enclosure",
                type="application/pdf",
                href=notice.absolute_url() + "/@@minutes.pdf",
            )
            E.SubElement(entry, f"{{{ATOM}}}updated").text = _atom_time(
                notice.published_on
            )
            E.SubElement(entry, f"{{{ATOM}}}summary").text = notice_summary(
                notice, roles
            )
        self.request.response.setHeader(
            "Content-Type", "application/atom+xml; charset=utf-8"
        )
        return E.tostring(
            feed, xml_declaration=True, encoding="utf-8", pretty_print=True
        )


def notice_summary(notice, roles, length=200):
    parts = [notice.agenda or ""]
    for turn in notice.turns or ():
        parts.append(
            f"{turn.get('speaker')}（{roles.get(turn.get('role'), '')}）：{turn.get('text')}"
        )
    parts.append(notice.free_text or "")
    text = " ".join(p for p in parts if p)
    return text if len(text) <= length else text[:length] + "…"


class NoticeView(BrowserView):
    template = ViewPageTemplateFile("templates/notice_view.pt")

    def __call__(self):
        return self.template()

    def turns(self):
        roles = role_titles(self.request)
        return [
            dict(turn, role_title=roles.get(turn.get("role"), ""))
            for turn in self.context.turns or ()
        ]

    def days(self):
        notice = self.context
        text = notice.hearing_date.isoformat() if notice.hearing_date else ""
        if notice.end_date and notice.end_date != notice.hearing_date:
            text += " – " + notice.end_date.isoformat()
        return text

    def withdrawn(self):
        return api.content.get_state(self.context, default="") == "withdrawn"


class MinutesPdfView(BrowserView):
    def __call__(self):
        name = f"{self.context.getId()}.pdf"
        pdf = render_minutes(self.context)
        return send(self.request, pdf, PDF_TYPE, name, name, disposition="inline")


class HearingsView(BrowserView):
    """听证: the hearings, newest first, with the state of their minutes."""

    template = ViewPageTemplateFile("templates/hearings.pt")

    def __call__(self):
        return self.template()

    def hearings(self):
        catalog = api.portal.get_tool("portal_catalog")

        def state(obj):
            return object_state_text(obj, self.request)

        rows = []
        for brain in catalog(
            portal_type="Hearing",
            path="/".join(self.context.getPhysicalPath()),
            sort_on="created",
            sort_order="descending",
        ):
            hearing = brain.getObject()
            transcripts = [
                {
                    "url": t.absolute_url(),
                    "title": t.title,
                    "state": state(t),
                }
                for t in hearing.objectValues()
                if t.portal_type == "HearingTranscript"
            ]
            rows.append(
                {
                    "url": hearing.absolute_url(),
                    "number": hearing.hearing_number,
                    "title": hearing.title,
                    "date": hearing.hearing_date,
                    "public": hearing.public,
                    "state": state(hearing),
                    "cases": len(hearing.cases or ()),
                    "transcripts": transcripts,
                }
            )
        return rows
