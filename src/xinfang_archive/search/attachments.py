"""Plain text of attached files (case documents, signed replies) for the index.

The search index wants the words inside PDF, DOCX, HTML and plain-text
attachments.  The format is sniffed from the bytes before the declared
content type or file name is believed, because uploads are often mislabelled.
``extract_text`` never raises: one corrupt, truncated or encrypted attachment
is logged and yields ``""``, so that indexing the record still succeeds.
"""

from docx.table import Table
from pdfminer.high_level import extract_text as pdf_extract_text
from xinfang_archive.fileformats import charset
from xinfang_archive.fileformats import declared_kind
from xinfang_archive.fileformats import DOCX
from xinfang_archive.fileformats import HTML
from xinfang_archive.fileformats import PDF
from xinfang_archive.fileformats import sniff
from xinfang_archive.fileformats import TEXT

import codecs
import docx
import io
import logging
import lxml.html
import re


logger = logging.getLogger("xinfang_archive.search")

MAX_PDF_PAGES = 500
MAX_TEXT_CHARS = 2_000_000

# Leading comments may not contain "-->", so the match cannot backtrack
# exponentially over many comments.
_HTML_START = re.compile(
    rb"(?:\xef\xbb\xbf)?\s*(?:<!--(?:(?!-->).)*-->\s*)*<(?:!doctype\s+html|html)[\s>]",
    re.I | re.S,
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PDF_CID = re.compile(r"\(cid:\d+\)")
# A PDF line ends where the layout wrapped it; Chinese is written without
# spaces, so a break between two Han characters is no break in the text.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PDF_WRAP = re.compile(rf"(?<=[{_HAN}])[ \t]*(?:\n[ \t]*){{1,2}}(?=[{_HAN}])")

# Vertical separators become newlines; NUL disappears.
_VERTICAL = dict.fromkeys((11, 12, 28, 29, 30, 133, 8232, 8233), "\n")
_VERTICAL[0x00] = None
_HORIZONTAL_RUN = re.compile(r"[^\S\n]+")
_NEWLINE_RUN = re.compile(r" ?(?:\n ?)+")

_HTML_DROP = ("script", "style", "noscript", "template")
_HTML_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "title",
        "tr",
        "ul",
    ]
)
_HTML_CELLS = frozenset(("td", "th"))


def extract_text(
    data: bytes, content_type: str | None = None, filename: str | None = None
) -> str:
    """Return the normalised plain text of an attachment, or "" if none.

    Never raises: unreadable input is logged as a warning.
    """
    try:
        if not data:
            return ""
        data = bytes(data)
        kind = sniff(data)
        if kind is None:
            kind = declared_kind(content_type, filename)
        if kind is None and _HTML_START.match(data[:4096]):
            kind = HTML
        if kind == PDF:
            text = _pdf_text(data)
        elif kind == DOCX:
            text = _docx_text(data)
        elif kind == HTML:
            text = _html_text(data, charset(content_type))
        elif kind == TEXT or (kind is None and _looks_like_text(data)):
            text = _decode(data, charset(content_type))
        else:
            return ""
        if text is None:
            logger.warning(
                "Attachment %r (%s) cannot be decoded as text; not indexed",
                filename,
                content_type,
            )
            return ""
        return _normalise(text)[:MAX_TEXT_CHARS]
    except Exception as exc:
        logger.warning(
            "Cannot extract text from attachment %r (%s): %s: %s",
            filename,
            content_type,
            type(exc).__name__,
            exc,
        )
        return ""


def _looks_like_text(data):
    """Whether undeclared bytes may be text (binary data almost always has NULs)."""
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return b"\x00" not in sample


def _decode(data, declared=None):
    """Decode text bytes: BOM, UTF-8, the declared charset, GB18030; else None.

    Valid UTF-8 is tried before a declared charset because a wrong label
    (often ISO-8859-1) is commoner than non-UTF-8 bytes that happen to be
    valid UTF-8.  GBK and GB2312 labels are read as their superset GB18030.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8"]
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name in ("gbk", "gb2312", "cp936", "euc_cn"):
            name = "gb18030"
        if name and name not in candidates:
            candidates.append(name)
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _pdf_text(data):
    text = pdf_extract_text(io.BytesIO(data), maxpages=MAX_PDF_PAGES)
    # Glyphs without a Unicode mapping come out as "(cid:123)": noise to a search.
    return _PDF_WRAP.sub("", _PDF_CID.sub("", text))


def _docx_text(data):
    document = docx.Document(io.BytesIO(data))
    parts = []
    _docx_blocks(document, parts, set())
    return "\n".join(parts)


def _docx_blocks(container, parts, seen_cells):
    """Paragraphs and tables of a document body or table cell, in order."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    # Merged cells are returned once per grid column they span.
                    # The set holds the elements (not their id()s), which keeps
                    # lxml's proxies alive and so their identity stable.
                    if cell._tc in seen_cells:
                        continue
                    seen_cells.add(cell._tc)
                    _docx_blocks(cell, parts, seen_cells)
        else:
            parts.append(block.text)


def _html_text(data, declared=None):
    if declared is None:
        match = _META_CHARSET.search(data[:4096])
        if match:
            declared = match.group(1).decode("ascii")
    markup = _decode(data, declared)
    if markup is None:
        return None
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        return ""
    root = lxml.html.document_fromstring(markup)
    for element in list(root.iter(*_HTML_DROP)):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.lower()
        if tag in _HTML_BLOCKS:
            separator = "\n"
        elif tag in _HTML_CELLS:
            separator = " "
        else:
            continue
        element.text = separator + (element.text or "")
        element.tail = separator + (element.tail or "")
    return root.text_content()


def _normalise(text):
    """Collapse whitespace runs to one newline (if any) or one space; drop NULs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_VERTICAL)
    text = _HORIZONTAL_RUN.sub(" ", text)
    text = _NEWLINE_RUN.sub("\n", text)
    return text.strip()
