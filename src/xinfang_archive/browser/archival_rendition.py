"""@@archival-rendition on a document or reply of a filed case: its file
with the filing stamp (归档章) on page 1, or a cover sheet with the stamp when
the file is not a PDF or cannot be stamped.  The stored original is only
read, and is issued only while it matches its checksum at filing.

The stamp counts only the records the current user may View, so that a
rendition does not even reveal that hidden (accusation) records exist.
Every download is recorded in the audit trail (``download``).
"""

from Acquisition import aq_base
from Products.Five.browser import BrowserView
from xinfang_archive import _
from xinfang_archive.archival.catalogue import file_field
from xinfang_archive.archival.catalogue import filing_stamp
from xinfang_archive.archival.catalogue import highest_classification
from xinfang_archive.archival.catalogue import is_filed_case
from xinfang_archive.archival.catalogue import item_documents
from xinfang_archive.archival.catalogue import item_totals
from xinfang_archive.archival.catalogue import manifest_index
from xinfang_archive.archival.catalogue import responsible_of
from xinfang_archive.archival.manifest import read_bytes
from xinfang_archive.audit.recorder import record
from xinfang_archive.browser.downloads import ascii_code
from xinfang_archive.browser.downloads import PDF_TYPE
from xinfang_archive.browser.downloads import refuse
from xinfang_archive.browser.downloads import send
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.lineage import case_of
from xinfang_archive.documents.records import DocumentInfo
from xinfang_archive.documents.stamp import cover_sheet
from xinfang_archive.documents.stamp import RenditionError
from xinfang_archive.documents.stamp import stamped_pdf
from xinfang_archive.i18n import record_text
from ZODB.POSException import POSKeyError

import hashlib
import os


COVER_TITLE = _("Filing cover sheet")


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
