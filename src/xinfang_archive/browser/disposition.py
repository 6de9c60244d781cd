"""The archive office (档案管理): due for appraisal, appraisals, holds, fixity.

@@archive-office   the office's page: what waits, what is held, last fixity run
@@appraisal-due    filed records whose retention ran out; propose an appraisal
@@appraisal-view   one appraisal: its records, its transitions with reasons
@@fixity-report    the recorded fixity runs
"""

from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.protect import CheckAuthenticator
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.archival import disposition
from xinfang_archive.archival.fixity import recorded_runs
from xinfang_archive.archival.fixity_status import fixity_summary
from xinfang_archive.localtime import local_text
from xinfang_archive.vocabularies.fixed import APPRAISAL_DECISIONS
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from xinfang_archive.workflow.titles import object_state_text
from zope.i18n import translate
from zope.i18nmessageid import Message

import transaction


class _Base(BrowserView):
    def _t(self, message):
        return translate(message, context=self.request)

    def period_title(self, code):
        return self._t(PERIOD_TITLES[code]) if code in PERIOD_TITLES else (code or "")

    def state_title(self, obj):
        return object_state_text(obj, self.request)

    def local(self, value):
        return local_text(value, seconds=False)


class ArchiveOfficeView(_Base):
    template = ViewPageTemplateFile("templates/archive_office.pt")

    def __call__(self):
        return self.template()

    def due_count(self):
        return len(disposition.due_brains())

    def _items(self, portal_type, states):
        brains = api.portal.get_tool("portal_catalog")(
            portal_type=portal_type,
            review_state=states,
            sort_on="created",
            sort_order="descending",
            path="/".join(self.context.getPhysicalPath()),
        )
        return [
            {
                "url": b.getURL(),
                "title": b.Title,
                "state": self.state_title(b.getObject()),
                "created": self.local(b.created.asdatetime()),
                "creator": b.Creator,
            }
            for b in brains
        ]

    def appraisals(self):
        return self._items("Appraisal", list(disposition.OPEN_APPRAISAL_STATES))

    def holds(self):
        """Every hold, active first: reason, who placed it and when, who
        released it and when."""
        wftool = api.portal.get_tool("portal_workflow")
        brains = api.portal.get_tool("portal_catalog")(
            portal_type="Hold",
            sort_on="created",
            sort_order="descending",
            path="/".join(self.context.getPhysicalPath()),
        )
        rows = []
        for brain in brains:
            hold = brain.getObject()
            release = [
                e
                for e in wftool.getHistoryOf("xf_hold_workflow", hold) or ()
                if e.get("action") == "release"
            ]
            rows.append(
                {
                    "url": brain.getURL(),
                    "title": brain.Title,
                    "reason": hold.reason,
                    "authority": hold.authority or "",
                    "codes": ", ".join(disposition.clean_codes(hold.archival_codes)),
                    "active": brain.review_state == "active",
                    "state": self.state_title(hold),
                    "placed_by": brain.Creator,
                    "placed_on": self.local(brain.created.asdatetime()),
                    "released_by": release[-1]["actor"] if release else "",
                    "released_on": self.local(release[-1]["time"].asdatetime())
                    if release
                    else "",
                    "release_comment": release[-1].get("comments", "")
                    if release
                    else "",
                }
            )
        return sorted(rows, key=lambda r: not r["active"])

    def fixity(self):
        return fixity_summary(api.portal.get())

    def links(self):
        portal_url = api.portal.get().absolute_url()
        here = self.context.absolute_url()
        return [
            {
                "title": self._t(_("Batch filing")),
                "url": f"{portal_url}/cases/@@batch-filing",
            },
            {
                "title": self._t(_("Filing catalogues")),
                "url": f"{portal_url}/cases/@@filing-catalogue",
            },
            {
                "title": self._t(_("Due for appraisal")),
                "url": f"{here}/@@appraisal-due",
            },
            {"title": self._t(_("Place a hold")), "url": f"{here}/++add++Hold"},
            {"title": self._t(_("Import and export")), "url": f"{here}/@@exchange"},
            {"title": self._t(_("Fixity runs")), "url": f"{here}/@@fixity-report"},
            {"title": self._t(_("Audit trail")), "url": f"{portal_url}/@@audit-log"},
        ]


class AppraisalDueView(_Base):
    """Filed records due for appraisal; POST proposes an appraisal of those ticked."""

    template = ViewPageTemplateFile("templates/appraisal_due.pt")

    def __call__(self):
        self.errors = []
        form = self.request.form
        if self.request.method == "POST" and form.get("form.submitted"):
            CheckAuthenticator(self.request)
            created = self._propose(form)
            if created is not None:
                return self.request.response.redirect(created.absolute_url())
        return self.template()

    def _propose(self, form):
        codes = form.get("codes") or []
        decision = form.get("decision", "")
        values = {
            "title": form.get("title")
            or self._t(
                _("Appraisal of ${count} records", mapping={"count": len(codes)})
            ),
            "decision": decision,
            "archival_codes": codes,
            "new_period": form.get("new_period") or None,
            "reason": (form.get("reason") or "").strip(),
            "basis": (form.get("basis") or "").strip(),
        }
        problems = disposition.proposal_problems(decision, codes, values["new_period"])
        if decision not in dict(APPRAISAL_DECISIONS):
            problems.append(_("Choose a decision."))
        if not values["reason"]:
            problems.append(_("An appraisal states its reason."))
        if problems:
            self.errors = [self._t(p) for p in problems]
            return None
        try:
            return createContentInContainer(self.context, "Appraisal", **values)
        except disposition.DispositionRefused as refused:
            transaction.doom()
            self.errors = [self._t(p) for p in refused.problems]
            return None

    def decisions(self):
        return [(code, self._t(title)) for code, title in APPRAISAL_DECISIONS]

    def periods(self):
        return [(code, self._t(title)) for code, title in PERIOD_TITLES.items()]

    def rows(self):
        brains = disposition.due_brains()
        codes = [b.archival_code for b in brains]
        on_hold = disposition.held(codes)
        elsewhere = disposition.open_appraisals(codes)
        return [
            {
                "code": b.archival_code,
                "url": b.getURL(),
                "title": b.Title,
                "year": b.filing_year,
                "period": self.period_title(b.retention_period),
                "expires": b.retention_expires,
                "held": ", ".join(h.Title() for h in on_hold.get(b.archival_code, [])),
                "appraisal": elsewhere[b.archival_code].Title()
                if b.archival_code in elsewhere
                else "",
            }
            for b in brains
        ]


class AppraisalView(_Base):
    template = ViewPageTemplateFile("templates/appraisal_view.pt")

    def __call__(self):
        self.errors = []
        form = self.request.form
        if self.request.method == "POST" and form.get("transition"):
            CheckAuthenticator(self.request)
            tid = form["transition"]
            problems = disposition.transition_problems(self.context, tid)
            try:
                if problems:
                    raise disposition.DispositionRefused(problems)
                api.content.transition(
                    obj=self.context, transition=tid, comment=form.get("comment", "")
                )
            except disposition.DispositionRefused as refused:
                transaction.doom()
                self.errors = [self._t(p) for p in refused.problems]
            except (WorkflowException, api.exc.InvalidParameterError):
                transaction.doom()
                self.errors = [self._t(_("You may not do this."))]
            else:
                return self.request.response.redirect(self.context.absolute_url())
        return self.template()

    def decision_title(self):
        return self._t(
            dict(APPRAISAL_DECISIONS).get(self.context.decision, self.context.decision)
        )

    def records(self):
        codes = disposition.clean_codes(self.context.archival_codes)
        on_hold = disposition.held(codes)
        rows = []
        for code in codes:
            case = disposition.filed_record(code)
            rows.append(
                {
                    "code": code,
                    "url": case.absolute_url() if case is not None else "",
                    "title": case.Title()
                    if case is not None
                    else self._t(_("(no longer a filed record)")),
                    "period": self.period_title(getattr(case, "retention_period", "")),
                    "expires": getattr(case, "retention_expires", None),
                    "held": ", ".join(h.Title() for h in on_hold.get(code, [])),
                }
            )
        return rows

    def people(self):
        c = self.context
        return {
            "proposed_by": disposition.proposer(c),
            "approved_by": getattr(c, "approved_by", ""),
            "approved_on": self.local(getattr(c, "approved_on", None)),
            "executed_by": getattr(c, "executed_by", ""),
            "executed_on": self.local(getattr(c, "executed_on", None)),
        }

    def transitions(self):
        """The transitions of the current state that the user's permissions
        allow, with the reasons why the rules refuse them now."""
        wftool = api.portal.get_tool("portal_workflow")
        workflow = wftool.getWorkflowsFor(self.context)[0]
        state = workflow.states[api.content.get_state(self.context)]
        result = []
        for tid in state.transitions:
            transition = workflow.transitions[tid]
            permissions = transition.guard.permissions if transition.guard else ()
            if not all(
                api.user.has_permission(p, obj=self.context) for p in permissions or ()
            ):
                continue
            result.append(
                {
                    "id": tid,
                    "title": self._t(Message(transition.title, domain="plone")),
                    "problems": [
                        self._t(p)
                        for p in disposition.transition_problems(self.context, tid)
                    ],
                }
            )
        return result


class FixityReportView(_Base):
    template = ViewPageTemplateFile("templates/fixity_report.pt")

    def __call__(self):
        return self.template()

    def last(self):
        return fixity_summary(api.portal.get())

    def runs(self):
        return [
            {
                "started": self.local(r.started),
                "finished": self.local(r.finished),
                "counts": r.counts,
                "ok": r.ok,
                "files": r.files_checked,
                "megabytes": round(r.bytes_read / 1e6, 1),
            }
            for r in recorded_runs(api.portal.get())
        ]
