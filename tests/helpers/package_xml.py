"""A record's metadata and its envelope, as the package XML tests build them."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from datetime import UTC
from xinfang_archive.exchange import dat46
from xinfang_archive.exchange import envelope as env
from xinfang_archive.exchange.model import FileInfo
from xinfang_archive.exchange.model import RecordInfo

import hashlib


CST = timezone(timedelta(hours=8))
GENERATED = datetime(2025, 1, 6, 10, 30, tzinfo=CST)
CASE_UID = "0123456789abcdef0123456789abcdef"
LETTER = "关于某村征地补偿款发放的来信\n请求依法处理。".encode()
SCAN = b"%PDF-1.7\n\x00\xff binary \xe4\xb8\xad\n"


def sha(data):
    return hashlib.sha256(data).hexdigest()


def file_info(field, filename, data, fmt, content_type, pages=None):
    return FileInfo(
        field=field,
        filename=filename,
        content_type=content_type,
        size=len(data),
        sha256=sha(data),
        href=f"data/{CASE_UID}/{filename}",
        pages=pages,
        format_name=fmt,
    )


FILES = [
    file_info("letter_file", "来信.txt", LETTER, "TXT", "text/plain"),
    file_info(
        "signed_scan", "答复（签章）.pdf", SCAN, "PDF", "application/pdf", pages=3
    ),
]


def full_record(**overrides):
    values = {
        "kind": "case",
        "uid": CASE_UID,
        "identifier": "XF-2024-000123",
        "path": "",
        "title": "关于𠮷家村征地补偿款未足额发放的信访事项",
        "responsible": "某市信访局",
        "date": date(2024, 3, 5),
        "document_number": "某信复〔2024〕12号",
        "classification": "internal",
        "classification_title": "内部",
        "language": "zh",
        "pages": 5,
        "summary": "反映征地补偿款未足额发放，经调查已督促补发。",
        "keywords": ["征地拆迁", "补偿款", "征地拆迁", " "],
        "document_kind": "答复意见书",
        "archival_code": "X001-XF·2024-D30-JSJ-0007",
        "fonds_code": "X001",
        "fonds_name": "某市信访局",
        "filing_year": 2024,
        "retention_period": "30y",
        "retention_title": "30年",
        "organisation_code": "JSJ",
        "organisation_title": "接访科",
        "category_code": "XF",
        "item_number": 7,
        "state": "filed",
        "state_title": "已归档",
        "created": datetime(2024, 3, 5, 9, 0, tzinfo=CST),
        "modified": datetime(2024, 6, 1, 16, 20, tzinfo=UTC),
        "metadata_sha256": "a" * 64,
        "files": list(FILES),
        "versions": 4,
    }
    values.update(overrides)
    return RecordInfo(**values)


def make_envelope(info, content=None):
    metadata = dat46.record_metadata(info, generated=GENERATED)
    return env.envelope(
        info,
        metadata,
        content=content,
        generated=GENERATED,
        producer="某市信访局档案室",
    )
