"""Field values to and from the exchange XML, by the kind of schema field.

Element names are field names; lists are ``<item>`` children, rows of a
data grid (petitioners, parties, speaker turns) are named elements with
their sub-fields, relations are ``<ref uid=… identifier=…/>`` and files are
``<file …>`` elements, referenced by ``href`` or embedded as base64.
"""

from collective.z3cform.datagridfield.row import DictRow
from datetime import date
from datetime import datetime
from datetime import time
from plone.app.textfield import RichText
from plone.app.textfield.value import RichTextValue
from plone.namedfile.interfaces import INamedFileField
from xinfang_archive.archival.manifest import read_bytes
from xinfang_archive.archival.manifest import sha256_stream
from z3c.relationfield.interfaces import IRelationChoice
from z3c.relationfield.interfaces import IRelationList
from zope import schema
from zope.schema import getFieldsInOrder

import base64


NS = "urn:xinfang-archive:exchange:1"
NSMAP = {None: NS}
ROW_ELEMENTS = {
    "petitioners": "petitioner",
    "parties": "party",
    "turns": "turn",
    "decisions": "decision",
    "disputes": "dispute",
    "instructions": "instruction",
    "follow_ups": "follow_up",
}

TEXT, DATE, DATETIME, TIME, INT, BOOL, ITEMS, ROWS, REFS, RICHTEXT, FILE = (
    "text",
    "date",
    "datetime",
    "time",
    "int",
    "bool",
    "items",
    "rows",
    "refs",
    "richtext",
    "file",
)


def q(name):
    return f"{{{NS}}}{name}"


def local(element):
    return element.tag.rpartition("}")[2]


def kind_of(field):
    if INamedFileField.providedBy(field):
        return FILE
    if isinstance(field, RichText):
        return RICHTEXT
    if IRelationList.providedBy(field) or IRelationChoice.providedBy(field):
        return REFS  # a single relation (a case's reception day) is a list of one
    if isinstance(field, (schema.List, schema.Set, schema.Tuple, schema.FrozenSet)):
        return ROWS if isinstance(field.value_type, DictRow) else ITEMS
    if isinstance(field, schema.Datetime):
        return DATETIME
    if isinstance(field, schema.Date):
        return DATE
    if isinstance(field, schema.Time):  # a reception day's start and end (xs:time)
        return TIME
    if isinstance(field, schema.Bool):
        return BOOL
    if isinstance(field, schema.Int):
        return INT
    return TEXT


def iso_datetime(value):
    """ISO 8601 with the value's own time zone, or none for a naive value
    (so that it reads back exactly as it was)."""
    return value.isoformat()


def parse_datetime(text):
    text = text.strip()
    return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)


def _scalar_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


class FileWriter:
    """Decides where the bytes of a file go: ``place(named_file, sha256)``
    returns the ``href`` of a referenced copy, or None to embed the bytes."""

    def place(self, named_file, sha256):
        return None


def write_field(parent, name, field, value, files, ref_identifier=None):
    """Append ``<name>`` for ``value`` under ``parent``: nothing for None,
    an empty element for an empty text or list (they read back apart)."""
    from lxml import etree

    if value is None:
        return None
    kind = kind_of(field)
    element = etree.SubElement(parent, q(name))
    if kind == ITEMS:
        for item in sorted(value) if isinstance(value, (set, frozenset)) else value:
            etree.SubElement(element, q("item")).text = _scalar_text(item)
    elif kind == ROWS:
        row_schema = field.value_type.schema
        for row in value:
            row_element = etree.SubElement(element, q(ROW_ELEMENTS.get(name, "row")))
            for sub_name, sub_field in getFieldsInOrder(row_schema):
                if sub_name not in (row or {}):
                    continue
                if row[sub_name] is None:
                    etree.SubElement(row_element, q(sub_name), {XSI_NIL: "true"})
                else:
                    write_field(row_element, sub_name, sub_field, row[sub_name], files)
    elif kind == REFS:
        for relation in value if IRelationList.providedBy(field) else [value]:
            uid, identifier = (
                ref_identifier(relation) if ref_identifier else (None, None)
            )
            attrs = {k: v for k, v in (("uid", uid), ("identifier", identifier)) if v}
            etree.SubElement(element, q("ref"), attrs)
    elif kind == RICHTEXT:
        element.text = value.raw
        element.set("content-type", value.mimeType or "text/html")
    elif kind == FILE:
        with value.open() as stream:
            sha, size = sha256_stream(stream)
        element.set("name", value.filename or "")
        element.set("content-type", value.contentType or "application/octet-stream")
        element.set("size", str(size))
        element.set("sha256", sha)
        href = files.place(value, sha)
        if href:
            element.set("href", href)
        else:
            element.set("encoding", "base64")
            element.text = base64.b64encode(read_bytes(value)).decode("ascii")
    else:
        element.text = _scalar_text(value)
    return element


class FileProblem(ValueError):
    """A referenced or embedded file is missing or does not match its checksum."""


def read_field(element, field, files):  # noqa: C901
    """The Python value of ``element`` for ``field``.  ``files(element)``
    returns the checked bytes of a ``<file>`` element."""
    kind = kind_of(field)
    if kind == ITEMS:
        items = [(child.text or "") for child in element if local(child) == "item"]
        value_type = field.value_type
        if isinstance(value_type, schema.Int):
            items = [int(i) for i in items]
        if isinstance(field, (schema.Set, schema.FrozenSet)):
            return set(items)
        return items
    if kind == ROWS:
        row_schema = dict(getFieldsInOrder(field.value_type.schema))
        rows = []
        for row_element in element:
            row = {}
            for sub in row_element:
                sub_field = row_schema.get(local(sub))
                if sub.get(XSI_NIL) in ("true", "1"):
                    row[local(sub)] = None
                elif sub_field is not None:
                    row[local(sub)] = read_field(sub, sub_field, files)
            rows.append(row)
        return rows
    if kind == REFS:
        return [(ref.get("uid"), ref.get("identifier")) for ref in element]
    if kind == RICHTEXT:
        return RichTextValue(
            element.text or "",
            element.get("content-type", "text/html"),
            "text/x-html-safe",
        )
    if kind == FILE:
        return files(element)
    text = element.text or ""
    if kind == DATE:
        return date.fromisoformat(text.strip())
    if kind == DATETIME:
        return parse_datetime(text)
    if kind == TIME:
        return time.fromisoformat(text.strip())
    if kind == BOOL:
        return text.strip() in ("true", "1")
    if kind == INT:
        return int(text.strip())
    return text
