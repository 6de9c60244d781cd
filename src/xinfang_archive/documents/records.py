"""Plain data of the archive's documents, filled in by the Plone side."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CatalogueHeading:
    """The group a filing catalogue lists: fonds, year, retention, organisation."""

    fonds_code: str
    fonds_name: str
    year: int
    retention: str  # code: Y, D30 or D10
    retention_title: str  # e.g. 永久, 30年, 10年
    organisation_code: str
    organisation_title: str


@dataclass(frozen=True)
class CatalogueRow:
    number: int
    archival_code: str
    document_number: str
    responsible: str
    title: str
    date: date | None
    classification: str
    pages: int | None
    remarks: str


@dataclass(frozen=True)
class FilingStamp:
    """The values of the filing stamp (归档章) of one item."""

    fonds_code: str
    year: int
    retention: str
    item_number: int
    organisation_code: str
    pages: int | None

    @property
    def item_text(self):
        return f"{self.item_number:04d}"


@dataclass(frozen=True)
class DocumentInfo:
    """Metadata of a filed file, printed on its cover sheet."""

    title: str
    archival_code: str
    responsible: str
    date: date | None
    document_number: str
    classification: str
    filename: str
    size: int  # bytes
    sha256: str


@dataclass(frozen=True)
class RecordNote:
    """The record note sheet (备考表) of one item."""

    archival_code: str
    title: str
    lines: tuple[str, ...]  # 本件情况说明, one statement a line
    filed_by: str
    checked_by: str
    filed_on: date


@dataclass(frozen=True)
class DestructionRow:
    number: int
    archival_code: str
    title: str
    year: int
    retention: str  # as printed, e.g. 10年
    pages: int | None
    reason: str


@dataclass(frozen=True)
class DestructionInfo:
    """Heading and sign-off of a destruction list (销毁清册).

    Names and dates not known when the list is printed stay empty and are
    filled in by hand on the signed copy.
    """

    fonds_code: str
    fonds_name: str
    appraisal_reference: str
    appraised_on: date | None
    proposed_by: str
    approved_by: str
    approved_on: date | None
    supervised_by: str
    executed_by: str
    destroyed_on: date | None
