"""A filed case as an item (件) of the archive (DA/T 22-2015): the records it
consists of, their totals (documents, pages, highest classification), its
filing stamp and its row of the filing catalogue (归档文件目录).

Totals of ``visible_only`` records count only what the current user may View,
so that outputs made for them do not reveal hidden (accusation) records; the
catalogue row counts every record, so that it is the same whoever prints it.
"""

from Acquisition import aq_base
from Acquisition import aq_parent
from dataclasses import dataclass
from datetime import date
from plone import api
from xinfang_archive import _
from xinfang_archive.archival.info import is_filed
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.interfaces import ICaseFolder
from xinfang_archive.content.interfaces import IReply
from xinfang_archive.content.reply import OPINION_KINDS
from xinfang_archive.documents.records import CatalogueRow
from xinfang_archive.documents.records import FilingStamp
from xinfang_archive.i18n import record_text
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import titles
from xinfang_archive.vocabularies.registry import unit_paths


# The file fields of each kind of document, preferred first: a reply is its
# signed scan once there is one, else the letter the archive generated.
FILE_FIELDS = ((ICaseDocument, ("file",)), (IReply, ("signed_file", "letter_file")))


# --- where an item is ---------------------------------------------------------


def may_view(obj):
    return bool(api.user.has_permission("View", obj=obj))


def case_folder_of(obj):
    while obj is not None and not ICaseFolder.providedBy(obj):
        obj = aq_parent(obj)
    return obj


def is_filed_case(case):
    """Filed here or transferred (a transferred case is still a filed record here)."""
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


def catalogue_remarks(case):
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


def catalogue_row(case):
    """The case's row of the filing catalogue (all its records counted)."""
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
        remarks=catalogue_remarks(case),
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
