"""@@record-note on a filed case: its 备考表 as PDF, in the record's language
whoever prints it.  Its lines (totals, amendments, the last fixity check)
count only the records the current user may View.  Every download is
recorded in the audit trail (``download``).
"""

from Acquisition import aq_base
from plone import api
from Products.Five.browser import BrowserView
from xinfang_archive import _
from xinfang_archive.archival.catalogue import is_filed_case
from xinfang_archive.archival.catalogue import item_documents
from xinfang_archive.archival.catalogue import item_totals
from xinfang_archive.archival.catalogue import may_view
from xinfang_archive.archival.fixity import CHANGED
from xinfang_archive.archival.fixity import last_run
from xinfang_archive.archival.fixity import MISSING
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.audit.recorder import record
from xinfang_archive.browser.downloads import ascii_code
from xinfang_archive.browser.downloads import PDF_TYPE
from xinfang_archive.browser.downloads import refuse
from xinfang_archive.browser.downloads import send
from xinfang_archive.documents import beikao
from xinfang_archive.documents.beikao import beikao_pdf
from xinfang_archive.documents.records import RecordNote
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import iso_day
from xinfang_archive.localtime import local_day
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES


def user_title(user_id):
    if not user_id:
        return ""
    user = api.user.get(userid=user_id)
    return (
        (user.getProperty("fullname", "") or user_id) if user is not None else user_id
    )


class RecordNoteView(BrowserView):
    """@@record-note: the 备考表 of a filed case as PDF."""

    def __call__(self):
        case = self.context
        if not is_filed_case(case):
            return refuse(
                self.request,
                404,
                _("This record is not filed: it has no archival copy or record note."),
            )
        note = self.note()
        data = beikao_pdf(note)
        record(
            "download",
            case,
            details={
                "what": "record-note",
                "archival_code": case.archival_code,
                "lines": len(note.lines),
            },
        )
        return send(
            self.request,
            data,
            PDF_TYPE,
            f"{case.archival_code}-{record_text(beikao.TITLE)}.pdf",
            f"{ascii_code(case.archival_code)}-record-note.pdf",
        )

    def _t(self, message):
        """Record language: the 备考表 is part of the record, whoever prints it."""
        return record_text(message)

    def note(self):
        case = self.context
        return RecordNote(
            archival_code=case.archival_code,
            title=case.Title(),
            lines=tuple(self.lines()),
            filed_by=user_title(case.filed_by),
            checked_by=user_title(getattr(aq_base(case), "checked_by", None) or ""),
            filed_on=local_day(case.filed_on),
        )

    def _visible(self, path):
        """May the user see the record at ``path`` (relative to the case)?"""
        if not path:
            return True
        obj = self.context.unrestrictedTraverse(path, None)
        return obj is None or may_view(obj)

    def lines(self):
        case = self.context
        totals = item_totals(case, item_documents(case, visible_only=True))
        yield self._t(
            _(
                "${count} documents, ${pages} pages",
                mapping={"count": totals.documents, "pages": totals.pages or 0},
            )
        )
        for amendment in getattr(case, "amendments", None) or ():
            if not self._visible(amendment.get("path", "")):
                continue
            yield self._t(
                _(
                    "${date} ${actor} amended: ${reason}",
                    mapping={
                        "date": iso_day(amendment.get("time")),
                        "actor": user_title(amendment.get("actor")),
                        "reason": amendment.get("reason", ""),
                    },
                )
            )
        for change in getattr(case, "retention_history", None) or ():
            yield self.retention_line(change)
        fixity = self.fixity_line()
        if fixity:
            yield fixity

    def retention_line(self, change):
        def period(code):
            title = PERIOD_TITLES.get(code)
            return self._t(title) if title is not None else (code or "")

        change = dict(change)
        return self._t(
            _(
                "${date} ${actor} changed the retention period from ${before} to ${after}: ${reason}",
                mapping={
                    "date": iso_day(change.get("time") or change.get("date")),
                    "actor": user_title(change.get("actor")),
                    "before": period(change.get("before") or change.get("from")),
                    "after": period(
                        change.get("after") or change.get("to") or change.get("period")
                    ),
                    "reason": change.get("reason", ""),
                },
            )
        )

    def fixity_line(self):
        """The last fixity run's result for this item (its visible records)."""
        site = api.portal.get()
        run = last_run(site)
        if run is None:
            return ""
        code = self.context.archival_code
        site_path = len(site.getPhysicalPath())
        visible = {
            "/".join(obj.getPhysicalPath()[site_path:])
            for _path, obj in records_of(self.context)
            if obj is self.context or may_view(obj)
        }
        results = [r for r in run.results if r[0] == code]
        if not results:  # an older run keeps only its problems
            results = [r for r in run.problems if r[0] == code]
            if not results:
                return ""
        results = [r for r in results if r[1] in visible]
        when = iso_day(run.finished or run.started)
        changed = sum(1 for r in results if r[4] == CHANGED)
        missing = sum(1 for r in results if r[4] == MISSING)
        if changed or missing:
            return self._t(
                _(
                    "${date} fixity check: ${changed} changed, ${missing} missing",
                    mapping={"date": when, "changed": changed, "missing": missing},
                )
            )
        if not results:
            return ""
        return self._t(
            _(
                "${date} fixity check: all ${count} entries intact",
                mapping={"date": when, "count": len(results)},
            )
        )
