"""The audit trail for inspectors: @@audit-log (search, CSV export) on the
site and @@audit-history on any record (its entries and those below it)."""

from datetime import date
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.audit.csvexport import write_csv
from xinfang_archive.audit.recorder import audit_store
from xinfang_archive.audit.recorder import record
from xinfang_archive.audit.store import canonical_json
from xinfang_archive.browser.downloads import send
from xinfang_archive.localtime import local_text
from xinfang_archive.privacy.masking import text_for_viewer
from zope.i18n import translate

import io


PAGE_SIZE = 50

ACTION_TITLES = {
    "create": _("Created"),
    "edit": _("Edited"),
    "transition": _("Workflow transition"),
    "delete": _("Deleted"),
    "file": _("Filed"),
    "amend": _("Amended"),
    "view": _("Viewed (filed record)"),
    "download": _("Downloaded (filed record)"),
    "export": _("Exported"),
    "login": _("Logged in"),
    "login_failed": _("Failed login"),
    "fixity": _("Fixity check"),
    "extend": _("Retention period extended"),
    "destroy": _("Destroyed by appraisal"),
    "hold": _("Hold placed"),
    "release": _("Hold released"),
    "appraisal.propose": _("Appraisal proposed"),
    "appraisal.approve": _("Appraisal approved"),
    "appraisal.reject": _("Appraisal rejected"),
    "appraisal.execute": _("Appraisal executed"),
    "accusation.request": _("Clearing of the accusation flag requested"),
    "accusation.clear": _("Accusation flag cleared (second person)"),
    "accusation.reject": _("Clearing of the accusation flag rejected"),
    "accusation.withdraw": _("Clearing of the accusation flag withdrawn"),
    "meeting_decision": _("Decided at a coordination meeting"),
    "dispute_to_case": _("Screened dispute registered as a case"),
    "upgrade": _("Site upgraded to a new version"),
    "job": _("Import or export in the background"),
}


def _day(text):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class AuditLogView(BrowserView):
    template = ViewPageTemplateFile("templates/audit_log.pt")
    scoped = False  # @@audit-history: only the context and what is below it

    def __call__(self):
        if self.request.form.get("format") == "csv":
            return self.csv()
        return self.template()

    def _t(self, message):
        return translate(message, context=self.request)

    def filters(self):
        form = self.request.form
        result = {
            name: (form.get(name) or "").strip()
            for name in ("actor", "action", "since", "until", "object", "text")
        }
        if self.scoped:
            result["object"] = "/" + "/".join(
                self.context.getPhysicalPath()[len(self._site_path()) :]
            )
        return result

    def _site_path(self):
        return api.portal.get().getPhysicalPath()

    def _query(self):
        f = self.filters()
        return {
            "actor": f["actor"] or None,
            "action": f["action"] or None,
            "since": _day(f["since"]),
            "until": _day(f["until"]),
            "obj": f["object"] or None,
            "text": f["text"] or None,
        }

    def page(self):
        try:
            return max(int(self.request.form.get("page", 1)), 1)
        except ValueError:
            return 1

    def results(self):
        total, entries = audit_store().search(
            limit=PAGE_SIZE, offset=(self.page() - 1) * PAGE_SIZE, **self._query()
        )
        self.total = total
        return [
            {
                "seq": e.seq,
                "time": local_text(e.time),
                "actor": e.actor,
                "action": e.action,
                "action_title": self._t(ACTION_TITLES[e.action])
                if e.action in ACTION_TITLES
                else e.action,
                # masked for who may not see personal data (entries written before comments were masked)
                "path": e.object_path,
                "title": e.object_title,
                "details": text_for_viewer(self.context, canonical_json(e.details)),
                "url": self._url(e.object_path),
            }
            for e in entries
        ]

    def _url(self, path):
        if not path:
            return ""
        obj = api.portal.get().unrestrictedTraverse(path.lstrip("/"), None)
        return obj.absolute_url() if obj is not None else ""

    def pages(self):
        last = max((self.total - 1) // PAGE_SIZE + 1, 1)
        return {"current": self.page(), "last": last}

    def choices(self):
        store = audit_store()
        return {
            "actors": store.actors(),
            "actions": [
                (a, self._t(ACTION_TITLES[a]) if a in ACTION_TITLES else a)
                for a in store.actions()
            ],
        }

    def link(self, **overrides):
        """This page's URL with the current filters and ``overrides``."""
        values = {
            k: v
            for k, v in self.filters().items()
            if v and not (self.scoped and k == "object")
        }
        values.update(overrides)
        return f"{self.request['ACTUAL_URL']}?{urlencode(values)}"

    def csv(self):
        """All matching entries as CSV; the export itself is recorded."""
        buffer = io.BytesIO()
        count = write_csv(audit_store().iter_entries(**self._query()), buffer)
        record(
            "export",
            self.context,
            details=dict(
                what="audit-trail",
                entries=count,
                **{k: v for k, v in self.filters().items() if v},
            ),
        )
        return send(
            self.request,
            buffer.getvalue(),
            "text/csv; charset=utf-8",
            "audit-trail.csv",
            "audit-trail.csv",
        )


class AuditHistoryView(AuditLogView):
    scoped = True
