"""Plain data handed from the site to the package writers.

The writers of the DA/T 46 metadata, the DA/T 48-style envelopes and the
PREMIS-style events work on these records only, never on content objects,
so that they can be tested (and read) without a site.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime


@dataclass(frozen=True)
class FileInfo:
    """One file of a record, as it lies in the package."""

    field: str  # schema field holding it ("file", "letter_file", "signed_scan" …)
    filename: str  # the file's original name
    content_type: str
    size: int
    sha256: str
    href: str  # path in the package, relative to the bag's root ("data/…")
    pages: int | None = None
    format_name: str = ""  # e.g. "PDF", "DOCX", "PNG", "TXT"


@dataclass
class RecordInfo:
    """One record (件 or one of its parts) with its DA/T 46 core metadata."""

    kind: str  # case, document, reply, supervision, hearing, transcript
    uid: str
    identifier: str  # registration number, hearing number or path inside the case
    path: str  # path inside the case ("" for the case itself)
    title: str
    responsible: str  # 责任者
    date: date | None  # 日期 (document date; the case's received date)
    document_number: str = ""  # 文号
    classification: str = ""  # 密级 (code: public, internal, secret …)
    classification_title: str = ""  # 密级 as read (公开, 内部 …)
    language: str = "zh"
    pages: int | None = None
    summary: str = ""  # 摘要 (never personal data)
    keywords: list = field(default_factory=list)  # 主题词/关键词
    document_kind: str = ""  # 文种
    # Archival code (档号) and its parts: only for filed records (and their parts)
    archival_code: str = ""
    fonds_code: str = ""
    fonds_name: str = ""
    filing_year: int | None = None
    retention_period: str = ""  # code: permanent, 30y, 10y
    retention_title: str = ""  # 永久, 30年, 10年
    organisation_code: str = ""
    organisation_title: str = ""
    category_code: str = ""
    item_number: int | None = None
    state: str = ""  # workflow state id
    state_title: str = ""
    created: datetime | None = None
    modified: datetime | None = None
    metadata_sha256: str = ""  # digest of the record's metadata (archival manifest)
    files: list = field(default_factory=list)  # FileInfo
    versions: int = 0  # number of stored versions
    parent_uid: str = ""  # the case (or hearing) the record belongs to


@dataclass(frozen=True)
class Event:
    """A preservation event (PREMIS-style) about one record."""

    identifier: str  # unique within the package, e.g. "evt-<uid>-3"
    type: str  # creation, ingestion, filing, fixity, amendment, retention, transfer, export, validation
    time: datetime
    agent: str  # user id or "xinfang-archive"
    outcome: str  # success, failure
    detail: str  # human-readable, Chinese
    object_uid: str
    object_identifier: str = ""  # archival code or registration number
    outcome_detail: str = ""
