"""Usability of a filed file (可用性, DA/T 70): does it open, in a format an
archive can keep?  Accepted: PDF (not encrypted), DOCX, plain text (UTF-8 or
GB18030), PNG, JPEG, TIFF.  The format is read from the bytes, and a file
whose bytes contradict its declared type is reported too.
"""

from dataclasses import dataclass
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from xinfang_archive import _
from xinfang_archive.fileformats import BINARY
from xinfang_archive.fileformats import declared_kind
from xinfang_archive.fileformats import DOCX
from xinfang_archive.fileformats import HTML
from xinfang_archive.fileformats import IMAGE
from xinfang_archive.fileformats import PDF
from xinfang_archive.fileformats import sniff
from xinfang_archive.fileformats import TEXT

import docx
import io
import zipfile


@dataclass(frozen=True)
class FileCheck:
    kind: str | None
    pages: int | None
    problem: object = None  # a translatable message, or None
    security: bool = False  # the problem is one of trust (type mismatch), not of use


def _sniff(data):
    """The kind of a file the archive can keep, from its bytes, or None."""
    try:
        kind = sniff(data)
    except zipfile.BadZipFile:
        return None
    if kind in (PDF, DOCX, IMAGE):
        return kind
    if kind is None and b"\x00" not in data[:8192]:
        return TEXT
    return None


def _declared(content_type, filename):
    """The declared kind in filing's terms: HTML is text, other binaries unknown."""
    kind = declared_kind(content_type, filename)
    if kind == HTML:
        return TEXT
    return None if kind == BINARY else kind


def pdf_pages(data):
    """Page count of a PDF; raises on a PDF that does not open or is
    encrypted at all (PDF/A forbids encryption, even without a password)."""
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    if document.encryption is not None:
        raise PDFEncryptionError("encrypted")
    return sum(1 for _page in PDFPage.create_pages(document))


def _open(kind, data):
    """Pages (or None) of a file of ``kind``; raises when it does not open."""
    if kind == PDF:
        return pdf_pages(data)
    if kind == DOCX:
        docx.Document(io.BytesIO(data))
        return None
    if kind == TEXT:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                data.decode(encoding)
                return None
            except UnicodeDecodeError:
                continue
        raise ValueError("undecodable text")
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.verify()
        return getattr(image, "n_frames", 1)


def inspect(data, content_type=None, filename=None):
    """A ``FileCheck`` of one file's bytes."""
    if not data:
        return FileCheck(None, None, _("The file is empty."))
    kind = _sniff(data)
    if kind is None:
        return FileCheck(
            None,
            None,
            _(
                "The format cannot be kept in the archive (accepted: PDF, DOCX, text, PNG, JPEG, TIFF)."
            ),
        )
    declared = _declared(content_type, filename)
    if (
        declared is not None
        and declared != kind
        and not (declared == TEXT and kind == TEXT)
    ):
        return FileCheck(
            kind,
            None,
            _(
                "The file's content (${actual}) does not match its declared type (${declared}).",
                mapping={"actual": kind, "declared": declared},
            ),
            security=True,
        )
    try:
        pages = _open(kind, data)
    except (PDFEncryptionError, PDFPasswordIncorrect):
        return FileCheck(
            kind, None, _("The PDF is encrypted: an archive cannot rely on opening it.")
        )
    except Exception as error:  # any parser error means: does not open
        return FileCheck(
            kind,
            None,
            _(
                "The file does not open (${error}).",
                mapping={"error": type(error).__name__},
            ),
        )
    return FileCheck(kind, pages, None)
