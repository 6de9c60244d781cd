"""Output documents of filed records (DA/T 22-2015).

* ``@@filing-catalogue`` on the case folder (archivists): the 归档文件目录 of
  one numbering group as PDF or XLSX, one row per item (件: a filed case);
  without a (valid) group, a page listing the groups with their downloads.
* ``@@archival-rendition`` on a document or reply of a filed case: its file
  with the filing stamp (归档章) on page 1, or a cover sheet with the stamp
  when the file is not a PDF or cannot be stamped.  The stored original is
  only read, and is issued only while it matches its checksum at filing.
* ``@@record-note`` on a filed case: the 备考表.
* ``@@archival-outputs`` on a filed case: the links to the above that the
  current user may follow (for the case page).

Accusation (举报) material stays hidden: renditions, record notes and links
only count and list the records the current user may View, so that their
outputs do not even reveal that hidden records exist.  The catalogue, for
archivists only, describes each item as filed (all its records: page total
and highest classification, no document titles), so that it is the same
whoever prints it.

Every download is recorded in the audit trail (``export`` for catalogues,
``download`` for renditions and record notes).
"""

from Acquisition import aq_base
from Acquisition import aq_parent
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import quote
from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.archival.codes import ORGANISATION
from xinfang_archive.archival.codes import parse
from xinfang_archive.archival.fixity import CHANGED
from xinfang_archive.archival.fixity import last_run
from xinfang_archive.archival.fixity import MISSING
from xinfang_archive.archival.info import is_filed
from xinfang_archive.archival.manifest import read_bytes
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.archival.retention import rank
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.states import (
    FILED_STATES,
)  # a transferred case is still a filed record here
from xinfang_archive.audit.recorder import record
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.interfaces import ICaseFolder
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.content.interfaces import IReply
from xinfang_archive.content.reply import OPINION_KINDS
from xinfang_archive.documents import beikao
from xinfang_archive.documents import catalogue
from xinfang_archive.documents.beikao import beikao_pdf
from xinfang_archive.documents.catalogue import catalogue_pdf
from xinfang_archive.documents.catalogue import catalogue_xlsx
from xinfang_archive.documents.records import CatalogueHeading
from xinfang_archive.documents.records import CatalogueRow
from xinfang_archive.documents.records import DocumentInfo
from xinfang_archive.documents.records import FilingStamp
from xinfang_archive.documents.records import RecordNote
from xinfang_archive.documents.stamp import cover_sheet
from xinfang_archive.documents.stamp import RenditionError
from xinfang_archive.documents.stamp import stamped_pdf
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.permissions import ManageArchive
from xinfang_archive.vocabularies.fixed import PERIOD_TITLES
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import titles
from xinfang_archive.vocabularies.registry import unit_paths
from ZODB.POSException import POSKeyError
from zope.i18n import translate

import hashlib
import json
import os
import re


PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pdf": (PDF_TYPE, catalogue_pdf), "xlsx": (XLSX_TYPE, catalogue_xlsx)}
YEAR = re.compile(r"^\d{4}$")
# The file fields of each kind of document, preferred first: a reply is its
# signed scan once there is one, else the letter the archive generated.
FILE_FIELDS = ((ICaseDocument, ("file",)), (IReply, ("signed_file", "letter_file")))
COVER_TITLE = _("Filing cover sheet")
# --- small helpers ----------------------------------------------------------


def content_disposition(filename, fallback, disposition="attachment"):
    """``attachment; filename="ascii"; filename*=UTF-8''…`` (RFC 6266 / 5987)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", fallback).strip("_") or "download"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send(request, data, content_type, filename, fallback):
    response = request.response
    response.setHeader("Content-Type", content_type)
    response.setHeader("Content-Disposition", content_disposition(filename, fallback))
    response.setHeader("Content-Length", str(len(data)))
    response.setHeader("X-Content-Type-Options", "nosniff")
    # Records may hold personal data and restricted material: no shared caches.
    response.setHeader("Cache-Control", "private, no-store")
    return data


def refuse(request, status, message):
    """A plain-text answer with ``status`` (the translated ``message``)."""
    response = request.response
    response.setStatus(status)
    response.setHeader("Content-Type", "text/plain; charset=utf-8")
    response.setHeader("Cache-Control", "private, no-store")
    return translate(message, context=request)


def ascii_code(code):
    """The archival code in ASCII (the category dot as a full stop)."""
    return (code or "").replace("·", ".")


def may_view(obj):
    return bool(api.user.has_permission("View", obj=obj))


def user_title(user_id):
    if not user_id:
        return ""
    user = api.user.get(userid=user_id)
    return (
        (user.getProperty("fullname", "") or user_id) if user is not None else user_id
    )


def local_day(value):
    """The local (China Standard Time) date of an aware datetime or ISO string."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TIME).date() if value.tzinfo else value.date()
    return value if isinstance(value, date) else None


def day_text(value):
    day = local_day(value)
    return day.isoformat() if day else ""


def case_of(obj):
    while obj is not None and not IPetitionCase.providedBy(obj):
        obj = aq_parent(obj)
    return obj


def case_folder_of(obj):
    while obj is not None and not ICaseFolder.providedBy(obj):
        obj = aq_parent(obj)
    return obj


def is_filed_case(case):
    return (
        case is not None
        and is_filed(case)
        and api.content.get_state(case, default=None) in FILED_STATES
    )


# --- what an item (件) consists of -------------------------------------------


def file_field(obj):
    """The name of the file field of a document or reply (None otherwise)."""
    for iface, names in FILE_FIELDS:
        if iface.providedBy(obj):
            held = [name for name in names if getattr(aq_base(obj), name, None)]
            return (held or names)[0]
    return None


def item_documents(case, visible_only=False):
    """``(path in the case, object)`` of the documents and replies of ``case``."""
    for path, obj in records_of(case):
        if file_field(obj) is None:
            continue
        if visible_only and not may_view(obj):
            continue
        yield path, obj


def manifest_index(case):
    return {
        (e["path"], e["field"]): e
        for e in getattr(case, "archival_manifest", None) or ()
    }


@dataclass(frozen=True)
class ItemTotals:
    documents: int
    pages: int | None
    classification: str  # title of the highest classification, "" if none


def classification_rank():
    """``{code: rank}``: later entries of the registry list are higher."""
    return {code: index for index, code in enumerate(titles("classifications"))}


def highest_classification(codes):
    codes = [code for code in codes if code]
    if not codes:
        return ""
    ranks = classification_rank()
    best = max(codes, key=lambda code: ranks.get(code, -1))
    return titles("classifications").get(best, best)


def document_pages(obj, entry):
    """Pages of a document: the filed PDF's page count, else its declared pages."""
    pages = (entry or {}).get("pages")
    if pages:
        return pages
    declared = getattr(aq_base(obj), "pages", None)
    return declared if isinstance(declared, int) and declared > 0 else None


def item_totals(case, documents):
    """Count, pages and highest classification of ``documents`` of ``case``."""
    manifest = manifest_index(case)
    pages, codes, count = None, [], 0
    for path, obj in documents:
        count += 1
        found = document_pages(obj, manifest.get((path, file_field(obj))))
        if found:
            pages = (pages or 0) + found
        codes.append(getattr(aq_base(obj), "classification", None))
    return ItemTotals(count, pages, highest_classification(codes))


def final_opinion(case):
    """The case's latest handling, review or re-review opinion (None if none)."""
    stage = {kind: index for index, kind in enumerate(OPINION_KINDS)}
    opinions = [
        (getattr(obj, "reply_date", None) or date.min, stage[obj.kind], position, obj)
        for position, obj in enumerate(case.objectValues())
        if IReply.providedBy(obj) and getattr(obj, "kind", None) in stage
    ]
    return max(opinions, key=lambda o: o[:3])[3] if opinions else None


def document_number(case):
    """文号: the final opinion's document number, else the registration number."""
    opinion = final_opinion(case)
    number = getattr(opinion, "document_number", None) if opinion is not None else None
    return number or getattr(case, "registration_number", None) or ""


def responsible_of(case):
    """责任者: the organisation the case is filed under, else its unit."""
    unit = getattr(case, "responsible_unit", None)
    return getattr(case, "organisation_title", None) or unit_paths().get(
        unit, unit or ""
    )


def filing_stamp(case, pages):
    return FilingStamp(
        fonds_code=case.fonds_code,
        year=case.filing_year,
        retention=case.retention_period,
        item_number=case.item_number,
        organisation_code=case.organisation_code,
        pages=pages,
    )


# --- the filing catalogue -----------------------------------------------------


def catalogue_remarks(case, request):
    remarks = []
    amendments = len(getattr(case, "amendments", None) or ())
    if amendments:
        remarks.append(
            record_text(_("Amendments: ${count}", mapping={"count": amendments}))
        )
    changes = len(getattr(case, "retention_history", None) or ())
    if changes:
        remarks.append(
            record_text(
                _("Retention period changes: ${count}", mapping={"count": changes})
            )
        )
    return "；".join(remarks)


def catalogue_row(case, request):
    totals = item_totals(case, item_documents(case))
    return CatalogueRow(
        number=case.item_number,
        archival_code=case.archival_code,
        document_number=document_number(case),
        responsible=responsible_of(case),
        title=case.Title(),
        date=getattr(case, "closed_on", None),
        classification=totals.classification,
        pages=totals.pages,
        remarks=catalogue_remarks(case, request),
    )


def organisation_titles():
    """``{organisation code: title}`` from the filing settings."""
    settings = filing_settings()
    rows = parse_lines(getattr(settings, "organisation_codes", None) or [])
    return {
        row[1]: (row[2] if len(row) > 2 and row[2] else row[1])
        for row in rows
        if len(row) > 1
    }


class FilingCatalogueView(BrowserView):
    """@@filing-catalogue?year=2024&period=D30&organisation=JSJ&format=pdf|xlsx"""

    template = ViewPageTemplateFile("templates/filing_catalogue.pt")

    def __call__(self):
        self.notice = ""
        params = self.parameters()
        fmt = (self.request.form.get("format") or "").strip().lower()
        if params is not None:
            cases = self.cases(**params)
            if cases and fmt in FORMATS:
                return self.download(params, cases, fmt)
            if not cases:
                self.notice = translate(
                    _(
                        "No filed item in the group ${year}-${period}-${organisation}: "
                        "choose one of the groups below.",
                        mapping=params,
                    ),
                    context=self.request,
                )
        return self.template()

    def parameters(self):
        """``{year, period, organisation}`` of the query, None if any is missing or bad."""
        form = self.request.form
        year, period, organisation = (
            str(form.get(name) or "").strip()
            for name in ("year", "period", "organisation")
        )
        if not (
            YEAR.match(year)
            and period in PERIOD_TITLES
            and ORGANISATION.match(organisation)
        ):
            return None
        return {"year": int(year), "period": period, "organisation": organisation}

    def _catalog(self, **query):
        return api.portal.get_tool("portal_catalog")(
            portal_type="PetitionCase", review_state=FILED_STATES, **query
        )

    def cases(self, year, period, organisation):
        """The filed cases of the group, by item number."""
        cases = [
            brain.getObject()
            for brain in self._catalog(
                filing_year=year,
                retention_period=period,
                organisation_code=organisation,
            )
        ]
        cases = [case for case in cases if is_filed(case)]
        return sorted(cases, key=lambda case: (case.fonds_code, case.item_number))

    def heading(self, params, cases):
        settings = filing_settings()
        fonds = sorted({case.fonds_code for case in cases})
        organisation = params["organisation"]
        title = next(
            (
                case.organisation_title
                for case in cases
                if getattr(case, "organisation_title", None)
            ),
            None,
        ) or organisation_titles().get(organisation, organisation)
        return CatalogueHeading(
            fonds_code="、".join(fonds) or getattr(settings, "fonds_code", ""),
            fonds_name=getattr(settings, "fonds_name", "") or "",
            year=params["year"],
            retention=params["period"],
            retention_title=translate(
                PERIOD_TITLES[params["period"]], context=self.request
            ),
            organisation_code=organisation,
            organisation_title=title,
        )

    def download(self, params, cases, fmt):
        content_type, render = FORMATS[fmt]
        rows = [catalogue_row(case, self.request) for case in cases]
        data = render(self.heading(params, cases), rows)
        group = f"{params['year']}-{params['period']}-{params['organisation']}"
        record(
            "export",
            self.context,
            details={
                "what": "filing-catalogue",
                "format": fmt,
                "year": params["year"],
                "period": params["period"],
                "organisation": params["organisation"],
                "items": len(rows),
                "first": rows[0].archival_code,
                "last": rows[-1].archival_code,
            },
        )
        return send(
            self.request,
            data,
            content_type,
            f"{record_text(catalogue.TITLE)}-{group}.{fmt}",
            f"filing-catalogue-{group}.{fmt}",
        )

    def groups(self):
        """The numbering groups with filed items: key, year, period, organisation,
        their titles, the number of items and the download links."""
        counts = {}
        for brain in self._catalog():
            code = parse(getattr(brain, "archival_code", None) or "")
            if code is not None:
                counts[code.group] = counts.get(code.group, 0) + 1
        organisations = organisation_titles()
        base = f"{self.context.absolute_url()}/@@filing-catalogue"
        result = []
        for group, count in sorted(
            counts.items(),
            key=lambda kv: (
                -kv[0].year,
                -rank(kv[0].period),
                kv[0].organisation,
                kv[0].fonds,
            ),
        ):
            query = {
                "year": group.year,
                "period": group.period,
                "organisation": group.organisation,
            }
            result.append(
                {
                    "key": group.key,
                    "year": group.year,
                    "period": group.period,
                    "period_title": translate(
                        PERIOD_TITLES[group.period], context=self.request
                    ),
                    "organisation": group.organisation,
                    "organisation_title": organisations.get(group.organisation, ""),
                    "count": count,
                    "pdf": f"{base}?{urlencode(dict(query, format='pdf'))}",
                    "xlsx": f"{base}?{urlencode(dict(query, format='xlsx'))}",
                }
            )
        return result


# --- the archival rendition of a document -----------------------------------------


class ArchivalRenditionView(BrowserView):
    """@@archival-rendition: the stamped PDF of a filed document, or its cover sheet."""

    def __call__(self):
        obj = self.context
        case = case_of(obj)
        if not is_filed_case(case):
            return refuse(
                self.request,
                404,
                _("This record is not filed: it has no archival copy or record note."),
            )
        name = file_field(obj)
        value = getattr(aq_base(obj), name, None) if name else None
        if not value:
            return refuse(self.request, 404, _("This record has no file."))
        try:
            data = read_bytes(value)
        except (POSKeyError, OSError):
            return refuse(
                self.request,
                404,
                _(
                    "The file ${filename} is missing from the storage.",
                    mapping={"filename": value.filename or ""},
                ),
            )
        path = "/".join(obj.getPhysicalPath()[len(case.getPhysicalPath()) :])
        entry = manifest_index(case).get((path, name))
        digest = hashlib.sha256(data).hexdigest()
        if entry is None or entry.get("sha256") != digest:
            return refuse(
                self.request,
                409,
                _(
                    "The file differs from the one filed (SHA-256): no copy with the filing "
                    "stamp is issued. Run a fixity check."
                ),
            )
        totals = item_totals(case, item_documents(case, visible_only=True))
        stamp = filing_stamp(case, totals.pages)
        rendition, kind = None, "cover-sheet"
        if data.startswith(b"%PDF-"):
            try:
                rendition, kind = stamped_pdf(data, stamp), "stamped"
            except RenditionError:
                rendition = None
        if rendition is None:
            rendition = cover_sheet(
                stamp, self.document_info(case, obj, value, data, digest)
            )
        record(
            "download",
            obj,
            details={
                "what": "archival-rendition",
                "rendition": kind,
                "archival_code": case.archival_code,
                "field": name,
                "filename": value.filename or "",
                "sha256": digest,
            },
        )
        stem = (
            os.path.splitext(os.path.basename(value.filename or ""))[0] or obj.getId()
        )
        if kind == "stamped":
            filename, fallback = (
                f"{case.archival_code}-{stem}.pdf",
                f"{ascii_code(case.archival_code)}-{obj.getId()}.pdf",
            )
        else:
            filename = f"{case.archival_code}-{stem}-{record_text(COVER_TITLE)}.pdf"
            fallback = f"{ascii_code(case.archival_code)}-{obj.getId()}-cover.pdf"
        return send(self.request, rendition, PDF_TYPE, filename, fallback)

    def document_info(self, case, obj, value, data, digest):
        if ICaseDocument.providedBy(obj):
            responsible = obj.responsible or responsible_of(case)
            day, number = obj.document_date, obj.document_number or ""
            classification = highest_classification([obj.classification])
        else:
            responsible = responsible_of(case)
            day, number, classification = obj.reply_date, obj.document_number or "", ""
        return DocumentInfo(
            title=obj.Title(),
            archival_code=case.archival_code,
            responsible=responsible,
            date=day,
            document_number=number,
            classification=classification,
            filename=value.filename or "",
            size=len(data),
            sha256=digest,
        )


# --- the record note (备考表) ------------------------------------------------------


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
                        "date": day_text(amendment.get("time")),
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
                    "date": day_text(change.get("time") or change.get("date")),
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
        when = day_text(run.finished or run.started)
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


# --- links for the case page -------------------------------------------------------


class OutputLinks(BrowserView):
    """@@archival-outputs: ``[{kind, title, url}]`` of a filed case's outputs
    the current user may open ([] for a case that is not filed)."""

    def __call__(self):
        links = self.links()
        if self.request.get("PUBLISHED") is self:  # asked for over HTTP
            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps(links, ensure_ascii=False)
        return links

    def _t(self, message):
        return translate(message, context=self.request)

    def links(self):
        case = self.context
        if not is_filed_case(case):
            return []
        result = [
            {
                "kind": "record-note",
                "title": self._t(beikao.TITLE),
                "url": f"{case.absolute_url()}/@@record-note",
            }
        ]
        for _path, obj in item_documents(case, visible_only=True):
            if not getattr(aq_base(obj), file_field(obj), None):
                continue
            result.append(
                {
                    "kind": "rendition",
                    "title": self._t(
                        _("Archival copy: ${title}", mapping={"title": obj.Title()})
                    ),
                    "url": f"{obj.absolute_url()}/@@archival-rendition",
                }
            )
        folder = case_folder_of(aq_parent(case))
        if folder is not None and api.user.has_permission(ManageArchive, obj=folder):
            query = urlencode(
                {
                    "year": case.filing_year,
                    "period": case.retention_period,
                    "organisation": case.organisation_code,
                    "format": "pdf",
                }
            )
            result.append(
                {
                    "kind": "catalogue",
                    "title": self._t(catalogue.TITLE),
                    "url": f"{folder.absolute_url()}/@@filing-catalogue?{query}",
                }
            )
        return result
