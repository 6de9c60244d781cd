"""What kind of file a stored file is, for filing and for search alike.

The bytes are asked first (their signature), the declared content type and
file name second: uploads are often mislabelled.  Filing (``archival.formats``)
checks that a file opens and that its bytes agree with its declared type;
search (``search.attachments``) picks how to read its text.
"""

import io
import os
import zipfile


PDF = "pdf"
DOCX = "docx"
HTML = "html"
TEXT = "text"
IMAGE = "image"  # PNG, JPEG, TIFF: the images an archive keeps
BINARY = "binary"  # anything else known not to be text

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# Signatures of formats that are neither kept nor read for text (legacy .doc is OLE2).
_BINARY_MAGIC = (
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WAV, AVI, WebP
    b"ID3\x02",  # MP3 with an ID3v2 tag
    b"ID3\x03",
    b"ID3\x04",
    b"OggS",
    b"fLaC",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: .doc, .xls, .msg
    b"\x00\x00\x01\x00",  # ICO
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

_CONTENT_TYPES = {
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    DOCX_MIME: DOCX,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "image/png": IMAGE,
    "image/jpeg": IMAGE,
    "image/tiff": IMAGE,
}
# Declared families never read as text.
_BINARY_MAJOR_TYPES = ("image", "audio", "video", "font", "model")
_EXTENSIONS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".htm": HTML,
    ".html": HTML,
    ".xhtml": HTML,
    ".txt": TEXT,
    ".text": TEXT,
    ".csv": TEXT,
    ".tsv": TEXT,
    ".md": TEXT,
    ".png": IMAGE,
    ".jpg": IMAGE,
    ".jpeg": IMAGE,
    ".tif": IMAGE,
    ".tiff": IMAGE,
}


def sniff(data):
    """The kind the bytes' signature declares: PDF, DOCX (a zip holding
    ``word/document.xml``), IMAGE, BINARY (another known signature, or a zip
    that is no DOCX) or None (no signature: text, or unknown).  A broken zip
    raises ``zipfile.BadZipFile``."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(_ZIP_MAGIC):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCX if "word/document.xml" in archive.namelist() else BINARY
    if data.startswith(_IMAGE_MAGIC):
        return IMAGE
    if data.startswith(_BINARY_MAGIC) or data[4:8] == b"ftyp":  # ftyp: MP4, HEIC
        return BINARY
    return None


def declared_kind(content_type, filename):
    """The kind the content type declares, else the file name's, or None."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in _CONTENT_TYPES:
        return _CONTENT_TYPES[mime]
    if mime.startswith("text/"):
        return TEXT
    if mime.split("/", 1)[0] in _BINARY_MAJOR_TYPES:
        return BINARY
    return _EXTENSIONS.get(os.path.splitext(filename or "")[1].lower())


def charset(content_type):
    """The charset parameter of a content type, or None."""
    for param in (content_type or "").split(";")[1:]:
        name, _sep, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
