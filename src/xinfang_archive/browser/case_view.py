"""信访件 page: the case, its clock, its transitions (with reasons) and contents."""

from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import quote
from xinfang_archive import _
from xinfang_archive.archival.disposition import held
from xinfang_archive.archival.info import archival_info
from xinfang_archive.browser.meeting import decision_rows_of_case
from xinfang_archive.content.dispute_link import source_of
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.interfaces import IReply
from xinfang_archive.content.interfaces import ISupervision
from xinfang_archive.content.matching import earlier_cases
from xinfang_archive.content.reception_links import reception_of
from xinfang_archive.hearings.clock import linked_hearings
from xinfang_archive.localtime import local_text
from xinfang_archive.permissions import AmendFiledRecord
from xinfang_archive.permissions import ManageArchive
from xinfang_archive.permissions import ViewAuditTrail
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.privacy.masking import petitioners_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.publicquery.codes import query_code_for_display
from xinfang_archive.receptions.schedule import for_case
from xinfang_archive.vocabularies.fixed import CASE_FLAGS
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from xinfang_archive.vocabularies.fixed import REPLY_KINDS
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.vocabularies.registry import unit_paths
from xinfang_archive.workflow.clocks import statutory_clock
from xinfang_archive.workflow.rules import transition_problems
from xinfang_archive.workflow.titles import object_state_text
from zope.component import queryMultiAdapter
from zope.i18n import translate
from zope.i18nmessageid import Message


CLOCK_LABELS = {
    "accept": _("Accept and notify by"),
    "handle": _("Handle by"),
    "review": _("Review opinion due"),
    "rereview": _("Re-review opinion due"),
}


class CaseView(BrowserView):
    def t(self, msgid, domain="xinfang_archive"):
        return translate(Message(msgid, domain=domain), context=self.request)

    @property
    def case(self):
        return self.context

    def state(self):
        return api.content.get_state(self.context)

    def state_title(self):
        return object_state_text(self.context, self.request)

    def can_view_personal_data(self):
        return can_view_personal_data(self.context)

    def petitioners(self):
        return petitioners_for_viewer(self.context, self.context.petitioners)

    def free_text(self, name):
        """The summary or request, its personal numbers masked for those without the right."""
        return text_for_viewer(self.context, getattr(self.context, name, None))

    def clock(self):
        clock = statutory_clock(self.context)
        clock["label"] = (
            translate(CLOCK_LABELS[clock["kind"]], context=self.request)
            if clock["kind"]
            else ""
        )
        return clock

    def titles(self):
        c = self.context
        flags = dict(CASE_FLAGS)
        return {
            "channel": title_of("channels", c.channel),
            "category": title_of("categories", c.category),
            "grade": title_of("grades", c.grade),
            "unit": unit_paths().get(c.responsible_unit, c.responsible_unit or ""),
            "handler": self._handler_title(c.case_handler),
            "outcome": title_of("outcomes", c.outcome),
            "satisfaction": title_of("satisfaction_levels", c.satisfaction),
            "flags": "、".join(
                translate(flags[f], context=self.request)
                for f in sorted(c.flags or ())
                if f in flags
            ),
        }

    def archival(self):
        """The filing record of a filed case, with titles (None otherwise)."""
        info = archival_info(self.context)
        if info is None:
            return None
        info["period_title"] = translate(
            PERIOD_TITLES[info["retention_period"]], context=self.request
        )
        info["filed_by_title"] = self._handler_title(info["filed_by"])
        info["filed_on_local"] = local_text(self.context.filed_on, seconds=False)
        info["may_amend"] = api.user.has_permission(AmendFiledRecord, obj=self.context)
        info["may_manage"] = api.user.has_permission(ManageArchive, obj=self.context)
        info["may_audit"] = api.user.has_permission(ViewAuditTrail, obj=self.context)
        info["holds"] = [
            {"title": h.Title(), "url": h.absolute_url(), "reason": h.reason}
            for h in held([info["archival_code"]]).get(info["archival_code"], [])
        ]
        office = api.portal.get().get("archive-office")
        info["hold_url"] = (
            f"{office.absolute_url()}/++add++Hold?form.widgets.archival_codes={quote(info['archival_code'])}"
            if office is not None
            else ""
        )
        return info

    def archival_outputs(self):
        """Links to the record note and the archival copies (@@archival-outputs)."""
        view = queryMultiAdapter((self.context, self.request), name="archival-outputs")
        return view() if view is not None else []

    def local(self, value):
        return local_text(value, seconds=False)

    def _handler_title(self, user_id):
        if not user_id:
            return ""
        user = api.user.get(userid=user_id)
        return (user.getProperty("fullname", "") or user_id) if user else user_id

    def transitions(self):
        """Transitions of the current state the user's roles allow, each with
        the reasons (if any) why the statutory rules refuse it now."""
        wftool = api.portal.get_tool("portal_workflow")
        workflow = wftool.getWorkflowsFor(self.context)[0]
        state = workflow.states[self.state()]
        roles = set(api.user.get_roles(obj=self.context))
        result = []
        for tid in state.transitions:
            transition = workflow.transitions[tid]
            guard_roles = (
                set(transition.guard.roles or ()) if transition.guard else set()
            )
            if guard_roles and not guard_roles & roles:
                continue
            problems = [
                translate(p, context=self.request)
                for p in transition_problems(self.context, tid)
            ]
            result.append(
                {
                    "id": tid,
                    "title": self.t(transition.title, domain="plone"),
                    "problems": problems,
                    "url": f"{self.context.absolute_url()}/@@file-case"
                    if tid == "file"
                    else f"{self.context.absolute_url()}/@@case-transition?transition={tid}",
                }
            )
        return result

    def _children(self, iface):
        return [
            obj
            for obj in self.context.objectValues()
            if iface.providedBy(obj) and api.user.has_permission("View", obj=obj)
        ]

    def documents(self):
        return self._children(ICaseDocument)

    def replies(self):
        kinds = dict(REPLY_KINDS)
        return [
            {
                "obj": reply,
                "kind": translate(
                    kinds.get(reply.kind, reply.kind), context=self.request
                ),
                "outcome": title_of("outcomes", reply.outcome),
            }
            for reply in self._children(IReply)
        ]

    def supervisions(self):
        return self._children(ISupervision)

    def related(self):
        result = []
        for relation in self.context.related_cases or ():
            obj = relation.to_object
            if obj is not None and api.user.has_permission("View", obj=obj):
                result.append(obj)
        return result

    def earlier_cases(self):
        """Earlier cases of the same petitioner not linked yet (offered for linking)."""
        if not self.can_view_personal_data():
            return []
        linked = {
            r.to_object.UID() for r in self.context.related_cases or () if r.to_object
        }
        return [b for b in earlier_cases(self.context) if b.UID not in linked]

    def can_edit(self):
        return api.user.has_permission("Modify portal content", obj=self.context)

    def add_links(self):
        links = []
        for type_id, permission in (
            ("CaseDocument", "xinfang_archive: Add CaseDocument"),
            ("Reply", "xinfang_archive: Add Reply"),
            ("Supervision", "xinfang_archive: Add Supervision"),
        ):
            if api.user.has_permission(permission, obj=self.context):
                fti = api.portal.get_tool("portal_types")[type_id]
                links.append(
                    {
                        "url": f"{self.context.absolute_url()}/++add++{type_id}",
                        "title": translate(
                            Message(fti.title, domain="xinfang_archive"),
                            context=self.request,
                        ),
                    }
                )
                if type_id == "Reply":
                    links.append(
                        {
                            "url": f"{self.context.absolute_url()}/@@issue-reply",
                            "title": translate(
                                _("Issue a reply letter"), context=self.request
                            ),
                        }
                    )
        return links

    def query_code(self):
        """The petitioner's 查询码, for those who may see personal data."""

        return query_code_for_display(self.context)

    def hearings(self):
        """The hearings on this case the user may see (their days pause the 复核 clock)."""

        return [
            {
                "obj": hearing,
                "days": "、".join(day.isoformat() for day in hearing.days()),
                "state": object_state_text(hearing, self.request),
            }
            for hearing in linked_hearings(self.context)
            if api.user.has_permission("View", obj=hearing)
        ]

    def screening_source(self):
        """The screening report whose dispute became this case, if the user may see it."""

        source = source_of(self.context)
        found = api.content.find(UID=source[0]) if source else ()
        return {"url": found[0].getURL(), "title": found[0].Title} if found else None

    def meeting_decisions(self):
        """The finalized meeting decisions on this case (meetings/decisions.py
        says who may read them: not the accused unit of an accusation)."""

        return decision_rows_of_case(self.context, self.request)

    def reception(self):
        """The reception day the case was received at, with the leader's
        instructions and follow-ups on it (the schedule is public; the
        record is shown with the case, to those who may View the case)."""

        reception = reception_of(self.context)
        if reception is None:
            return None
        entry = for_case(self.context, reception) or {
            "instructions": [],
            "follow_ups": [],
        }
        return {
            "title": reception.Title(),
            "url": reception.absolute_url()
            if api.user.has_permission("View", obj=reception)
            else None,
            "instructions": entry["instructions"],
            "follow_ups": entry["follow_ups"],
        }


class LinkEarlierCases(BrowserView):
    """POST: link the chosen earlier cases; the case becomes a repeat petition."""

    def __call__(self):
        from plone.protect import CheckAuthenticator
        from z3c.relationfield import RelationValue
        from zope.component import getUtility
        from zope.event import notify
        from zope.intid.interfaces import IIntIds
        from zope.lifecycleevent import ObjectModifiedEvent

        CheckAuthenticator(self.request)
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        candidates = {b.UID: b for b in earlier_cases(self.context)}
        chosen = [uid for uid in self.request.form.get("uids", []) if uid in candidates]
        if chosen:
            intids = getUtility(IIntIds)
            relations = list(self.context.related_cases or ())
            linked = {r.to_object.UID() for r in relations if r.to_object}
            for uid in chosen:
                if uid not in linked:
                    relations.append(
                        RelationValue(intids.getId(candidates[uid].getObject()))
                    )
            self.context.related_cases = relations
            notify(ObjectModifiedEvent(self.context))
            api.portal.show_message(
                translate(
                    _("Linked to the earlier cases; flagged as a repeat petition."),
                    context=self.request,
                ),
                request=self.request,
            )
        return self.request.response.redirect(self.context.absolute_url())
