"""Hardened reading of XML that comes from outside (imports, packages).

Files are treated as hostile: a document type declaration is refused before
the parser reaches it (so no entity is ever expanded and no external DTD or
entity is fetched), the size is checked before reading, and lxml's limits on
text size and nesting depth stay on.  Schemas are read from one directory
only; an ``xs:include``/``xs:import`` may name a sibling file there and
nothing else.
"""

from functools import cache
from lxml import etree
from pathlib import Path
from urllib.parse import unquote
from urllib.parse import urlparse
from xinfang_archive import _
from xinfang_archive.i18n import record_text

import os
import re


SCHEMA_DIR = Path(__file__).parent / "schemas"
NAMESPACES = {  # namespace URI -> XSD file name in SCHEMA_DIR
    "urn:xinfang-archive:exchange:1": "exchange.xsd",
    "urn:xinfang-archive:dat46:1": "dat46.xsd",
    "urn:xinfang-archive:envelope:1": "envelope.xsd",
    "urn:xinfang-archive:events:1": "events.xsd",
}
DEFAULT_MAX_BYTES = 512 * 1024 * 1024

_CHUNK = 64 * 1024
_POSITION = re.compile(
    r",\s*line \d+, column \d+\s*$"
)  # lxml appends it to the message
_ENCODING_ERRORS = (
    etree.ErrorTypes.ERR_INVALID_ENCODING,
    etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING,
)


class XMLRefused(Exception):
    """A file that is not read; ``message`` is translatable, ``str()`` is its zh_CN text."""

    def __init__(self, message, path=None, line=None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self):
        return record_text(self.message)


def size_text(size):
    """A byte count for people: ``512 B``, ``3.2 KB``, ``12.5 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class _RefuseAll(etree.Resolver):
    """Resolves nothing: libxml2 must not fall back to opening URLs itself."""

    def resolve(self, url, pubid, context):
        raise XMLRefused(_("Refused to load ${url}.", mapping={"url": url}))


class _DirectoryResolver(etree.Resolver):
    """Serves files inside ``directory`` and refuses (and notes) everything else."""

    def __init__(self, directory):
        super().__init__()
        self.directory = directory
        self.refused = []

    def resolve(self, url, pubid, context):
        parsed = urlparse(url)
        if parsed.scheme in ("", "file") and not parsed.netloc:
            path = Path(unquote(parsed.path)).resolve()
            if path.is_relative_to(self.directory) and path.is_file():
                return self.resolve_filename(str(path), context)
        self.refused.append(url)
        raise XMLRefused(_("Refused to load ${url}.", mapping={"url": url}))


def hardened_parser(*, resolver=None, **extra):
    """An ``XMLParser`` that expands no entity, loads no DTD and uses no network.

    ``resolver`` is the only resolver (by default one that refuses every
    URL); ``extra`` overrides or adds parser options.
    """
    options = {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "attribute_defaults": False,
        "huge_tree": False,
        "recover": False,
        "remove_comments": False,
        "remove_pis": False,
    }
    options.update(extra)
    parser = etree.XMLParser(**options)
    parser.resolvers.add(resolver or _RefuseAll())
    return parser


class _Prolog(Exception):
    """Raised by the prolog scanner to stop at the first DOCTYPE or start tag."""


class _PrologTarget:
    def __init__(self):
        self.saw_doctype = False

    def doctype(self, name, pubid, system):
        self.saw_doctype = True
        raise _Prolog()

    def start(self, tag, attrib, nsmap=None):
        raise _Prolog()

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


def _refusal(error, path):
    """An ``XMLRefused`` for lxml's ``XMLSyntaxError``."""
    reason = _POSITION.sub("", error.msg).strip()
    line = error.lineno or None
    code = error.code
    if code == etree.ErrorTypes.ERR_DOCUMENT_EMPTY:
        return XMLRefused(_("The file is empty."), path, line)
    if code in _ENCODING_ERRORS:
        return XMLRefused(
            _(
                "The file is not valid UTF-8 or does not match its declared encoding (line ${line}): ${reason}",
                mapping={"line": line, "reason": reason},
            ),
            path,
            line,
        )
    if code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
        if "depth" in reason.lower():
            return XMLRefused(
                _(
                    "Elements are nested more than 256 levels deep (line ${line}); the file is refused.",
                    mapping={"line": line},
                ),
                path,
                line,
            )
        return XMLRefused(
            _(
                "A text or attribute value over 10 MB (line ${line}): files that large must be referenced "
                "(href with size and SHA-256), not embedded.",
                mapping={"line": line},
            ),
            path,
            line,
        )
    return XMLRefused(
        _(
            "Malformed XML at line ${line}: ${reason}",
            mapping={"line": line, "reason": reason},
        ),
        path,
        line,
    )


def _check_prolog(chunks, path):
    """Refuse a DOCTYPE before anything parses it.

    libxml2 itself reads the prolog (any encoding), but through a parser
    target that stops at the DOCTYPE as soon as its name and identifiers
    are read, before the internal subset is parsed or anything is fetched,
    or at the root's start tag.
    """
    target = _PrologTarget()
    parser = hardened_parser(target=target)
    try:
        for chunk in chunks:
            parser.feed(chunk)
        parser.close()
    except _Prolog:
        pass
    except etree.XMLSyntaxError as error:
        raise _refusal(error, path) from None
    if target.saw_doctype:
        raise _doctype_refusal(path)


def _doctype_refusal(path):
    return XMLRefused(
        _(
            "The file has a document type declaration (DOCTYPE); files with a DTD are refused, "
            "since a DTD can expand entities without limit or read other files and network addresses."
        ),
        path,
    )


UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def _head(path):
    try:
        with open(path, "rb") as handle:
            return handle.read(4)
    except OSError:
        return b""


def _file_chunks(handle):
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return
        yield chunk


def _parse(source, path, parser, max_bytes):
    """Parse ``source`` (bytes or a ``Path``) after the size and prolog checks."""
    if isinstance(source, bytes):
        size = len(source)
    else:
        try:
            size = source.stat().st_size
        except OSError as error:
            raise XMLRefused(
                _(
                    "The file could not be read: ${error}",
                    mapping={"error": error.strerror or str(error)},
                ),
                path,
            ) from None
    if size > max_bytes:
        raise XMLRefused(
            _(
                "The file is too large (${size}, at most ${limit}).",
                mapping={"size": size_text(size), "limit": size_text(max_bytes)},
            ),
            path,
        )
    if size == 0:
        raise XMLRefused(_("The file is empty."), path)
    head = source[:4] if isinstance(source, bytes) else _head(source)
    if head in UTF32_BOMS:
        raise XMLRefused(
            _(
                "The file is encoded as UTF-32, which is not accepted: save it as UTF-8."
            ),
            path,
        )
    try:
        if isinstance(source, bytes):
            _check_prolog(
                (source[i : i + _CHUNK] for i in range(0, size, _CHUNK)), path
            )
            tree = etree.ElementTree(etree.fromstring(source, parser))
        else:
            with open(source, "rb") as handle:
                _check_prolog(_file_chunks(handle), path)
                handle.seek(0)
                tree = etree.parse(handle, parser)
    except etree.XMLSyntaxError as error:
        raise _refusal(error, path) from None
    except OSError as error:
        raise XMLRefused(
            _(
                "The file could not be read: ${error}",
                mapping={"error": error.strerror or str(error)},
            ),
            path,
        ) from None
    docinfo = tree.docinfo
    if (
        docinfo.doctype
        or docinfo.internalDTD is not None
        or docinfo.externalDTD is not None
    ):
        raise _doctype_refusal(
            path
        )  # cannot happen after the prolog check; kept as a second lock
    return tree


def parse(source, *, max_bytes=DEFAULT_MAX_BYTES, name=None):
    """The ``ElementTree`` of ``source`` (a path or bytes), or ``XMLRefused``.

    ``name`` is what messages call the file (``XMLRefused.path``); a path
    names itself.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _parse(bytes(source), name, hardened_parser(), max_bytes)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return _parse(path, name or str(path), hardened_parser(), max_bytes)
    raise TypeError(f"parse() takes a path or bytes, not {type(source).__name__}")


def load_schema(filename, *, directory=None):
    """The compiled XSD ``filename`` of ``directory`` (default ``SCHEMA_DIR``), cached.

    Includes and imports are served from that directory only.
    """
    return _load_schema(filename, Path(directory or SCHEMA_DIR).resolve())


@cache
def _load_schema(filename, directory):
    path = (directory / filename).resolve()
    if not path.is_relative_to(directory):
        raise XMLRefused(
            _(
                "The schema ${schema} is not in the schema directory.",
                mapping={"schema": filename},
            ),
            str(path),
        )
    resolver = _DirectoryResolver(directory)
    parser = hardened_parser(resolver=resolver)
    tree = _parse(path, str(path), parser, DEFAULT_MAX_BYTES)
    try:
        return etree.XMLSchema(tree)
    except etree.XMLSchemaParseError as error:
        if resolver.refused:
            raise XMLRefused(
                _(
                    "The schema ${schema} refers to ${url}, which is outside the schema directory; "
                    "only files in that directory can be included or imported.",
                    mapping={"schema": filename, "url": resolver.refused[0]},
                ),
                str(path),
            ) from None
        raise XMLRefused(
            _(
                "The schema ${schema} could not be compiled: ${reason}",
                mapping={"schema": filename, "reason": str(error)},
            ),
            str(path),
        ) from None


def schema_for(root):
    """The schema of the root element's namespace, or ``None`` for an unknown namespace."""
    if hasattr(root, "getroot"):
        root = root.getroot()
    filename = NAMESPACES.get(etree.QName(root).namespace)
    return load_schema(filename) if filename else None


def validation_errors(tree_or_element, schema):
    """``[(line, message)]`` of every XSD error, in document order (line ``None`` if unknown)."""
    if schema.validate(tree_or_element):
        return []
    return [(error.line or None, error.message) for error in schema.error_log]
