"""Exchange XML into plain record data, with every file checked.

Reading never touches the site's content: it only needs the schemas.  A
problem raises ``RecordProblem`` with the messages of the whole record, so
that the import can report the item and skip it before writing anything.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from pathlib import Path
from plone.dexterity.interfaces import IDexterityFTI
from plone.namedfile.file import NamedBlobFile
from urllib.parse import unquote
from urllib.parse import urlsplit
from xinfang_archive import _
from xinfang_archive.exchange.fields import local
from xinfang_archive.exchange.fields import parse_datetime
from xinfang_archive.exchange.fields import q
from xinfang_archive.exchange.fields import read_field
from xinfang_archive.exchange.records import GROUPS
from xinfang_archive.exchange.records import KINDS
from zope.component import getUtility
from zope.schema import getFieldsInOrder

import base64
import binascii
import hashlib


class RecordProblem(Exception):
    """A record cannot be imported; ``messages`` (translatable) say why."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


@dataclass
class VersionData:
    number: int
    time: datetime
    principal: str | None
    comment: str
    values: dict


@dataclass
class RecordData:
    kind: object  # records.Kind
    uid: str | None
    id: str | None
    values: dict
    line: int | None = None
    created: datetime | None = None
    modified: datetime | None = None
    creators: tuple = ()
    workflow_id: str | None = None
    state: str | None = None
    history: list = field(default_factory=list)
    versions: list = field(default_factory=list)
    children: list = field(default_factory=list)
    archival: dict | None = None
    # a screened dispute made a case: the case's (report UID, key), the report's {key: case UID}
    screening_source: tuple | None = None
    dispute_cases: dict | None = None

    @property
    def identifier(self):
        return (
            self.values.get("registration_number")
            or self.values.get("hearing_number")
            or self.values.get("record_number")
            or self.id
            or self.uid
            or ""
        )

    def walk(self, path=""):
        """``(path inside the top record, record)`` of this record and its children."""
        yield path, self
        for child in self.children:
            yield from child.walk(f"{path}/{child.id}" if path else child.id)


def identifier_of(element):
    """What a top-level element is known by before it is read: its number
    (registration, hearing, record), else its id or UID."""
    metadata = element.find(q("metadata"))
    if metadata is not None:
        for name in ("registration_number", "hearing_number", "record_number"):
            found = metadata.find(q(name))
            if found is not None and found.text:
                return found.text
    return element.get("id") or element.get("uid") or ""


def schema_fields(portal_type):
    return dict(
        getFieldsInOrder(getUtility(IDexterityFTI, name=portal_type).lookupSchema())
    )


class FileSource:
    """The checked bytes of ``<file>`` elements: embedded (base64) or
    referenced by an ``href`` relative to the XML file's directory, which
    must lead to a regular file inside ``root`` (the directory imported),
    symbolic links resolved."""

    def __init__(self, directory, root=None):
        self.directory = Path(directory) if directory is not None else None
        self.root = (
            Path(root if root is not None else directory).resolve()
            if directory is not None
            else None
        )
        self.cache = {}  # (href, sha256) → bytes already checked, so versions share one read

    def _referenced(self, href, size):
        parts = urlsplit(href)
        if (
            parts.scheme
            or parts.netloc
            or href.startswith(("/", "\\"))
            or self.directory is None
        ):
            raise RecordProblem(
                [
                    _(
                        "The file reference ${href} is not a relative path inside the import.",
                        mapping={"href": href},
                    )
                ]
            )
        path = (self.directory / unquote(parts.path)).resolve()
        if self.root not in path.parents:
            raise RecordProblem(
                [
                    _(
                        "The file reference ${href} points outside the import.",
                        mapping={"href": href},
                    )
                ]
            )
        if not path.is_file():
            raise RecordProblem(
                [_("The referenced file ${href} is missing.", mapping={"href": href})]
            )
        actual = path.stat().st_size
        if actual != size:  # before reading it: a huge file is not read at all
            raise RecordProblem(
                [
                    _(
                        "The file ${name} has ${actual} bytes, not the ${declared} declared.",
                        mapping={"name": href, "actual": actual, "declared": size},
                    )
                ]
            )
        return path.read_bytes()

    def __call__(self, element):
        name = element.get("name") or ""
        sha256, size = element.get("sha256"), int(element.get("size") or -1)
        href = element.get("href")
        data = self.cache.get((href, sha256))
        if data is None:
            if href:
                data = self._referenced(href, size)
            else:
                try:
                    data = base64.b64decode(
                        "".join((element.text or "").split()), validate=True
                    )
                except (binascii.Error, ValueError):
                    raise RecordProblem(
                        [
                            _(
                                "The embedded file ${name} is not valid base64.",
                                mapping={"name": name},
                            )
                        ]
                    ) from None
            if len(data) != size:
                raise RecordProblem(
                    [
                        _(
                            "The file ${name} has ${actual} bytes, not the ${declared} declared.",
                            mapping={
                                "name": name,
                                "actual": len(data),
                                "declared": size,
                            },
                        )
                    ]
                )
            if hashlib.sha256(data).hexdigest() != sha256:
                raise RecordProblem(
                    [
                        _(
                            "The file ${name} does not match its SHA-256 checksum.",
                            mapping={"name": name},
                        )
                    ]
                )
            self.cache[(href, sha256)] = data
        return NamedBlobFile(
            data=data, filename=name, contentType=element.get("content-type")
        )


def read_metadata(element, portal_type, files):
    fields = schema_fields(portal_type)
    values = {}
    for child in element:
        name = local(child)
        if name in fields:
            values[name] = read_field(child, fields[name], files)
    return values


def _child(element, name):
    return element.find(q(name))


def read_record(element, files):
    """The ``RecordData`` of a top-level element (``<case>``, ``<hearing>`` …) and its children."""
    kind = KINDS[local(element)]
    record = RecordData(
        kind=kind,
        uid=element.get("uid"),
        id=element.get("id"),
        values=read_metadata(_child(element, "metadata"), kind.portal_type, files),
        line=element.sourceline,
    )
    lifecycle = _child(element, "lifecycle")
    if lifecycle is not None:
        record.created = parse_datetime(_child(lifecycle, "created").text)
        record.modified = parse_datetime(_child(lifecycle, "modified").text)
        record.creators = tuple(c.text or "" for c in lifecycle.findall(q("creator")))
        workflow = _child(lifecycle, "workflow")
        if workflow is not None:
            record.workflow_id, record.state = workflow.get("id"), workflow.get("state")
            for entry in workflow.findall(q("entry")):
                comments = _child(entry, "comments")
                record.history.append(
                    {
                        "action": entry.get("action"),
                        "review_state": entry.get("state"),
                        "actor": entry.get("actor"),
                        "time": parse_datetime(entry.get("time")),
                        "comments": comments.text or "" if comments is not None else "",
                    }
                )
    versions = _child(element, "versions")
    for version in versions if versions is not None else ():
        record.versions.append(
            VersionData(
                number=int(version.get("number")),
                time=parse_datetime(version.get("time")),
                principal=version.get("principal"),
                comment=version.get("comment") or "",
                values=read_metadata(
                    _child(version, "metadata"), kind.portal_type, files
                ),
            )
        )
    archival = _child(element, "archival")
    if archival is not None:
        record.archival = read_archival(archival)
    source = _child(element, "screening_source")
    if source is not None:
        record.screening_source = (source.get("report"), source.get("key"))
    links = _child(element, "dispute_cases")
    if links is not None:
        record.dispute_cases = {link.get("key"): link.get("uid") for link in links}
    for group in element:
        child_kind = GROUPS.get(local(group))
        if child_kind is None:
            continue
        for child in group:
            record.children.append(read_record(child, files))
    return record


def read_archival(element):
    from datetime import date

    values = {}
    for child in element:
        name = local(child)
        if name == "retention_rules":
            values[name] = tuple(item.text or "" for item in child)
        elif name in ("filing_year", "item_number"):
            values[name] = int(child.text)
        elif name == "retention_expires":
            values[name] = date.fromisoformat(child.text.strip())
        elif name == "filed_on":
            values[name] = parse_datetime(child.text)
        elif name == "manifest":
            values[name] = tuple(_manifest_entry(entry) for entry in child)
        elif name == "amendments":
            values[name] = [_amendment(a) for a in child]
        elif name == "retention_history":
            values[name] = [_retention_change(c) for c in child]
        elif name == "transfers":
            values[name] = [dict(t.attrib) for t in child]
        elif name == "reception_record":
            values[name] = _reception_record(child)
        else:
            values[name] = child.text or ""
    return values


def _reception_record(element):
    from datetime import date

    def day(value):
        return date.fromisoformat(value) if value else None

    record = {
        k: element.get(k) for k in ("reception", "reception_uid") if element.get(k)
    }
    record["instructions"] = tuple(
        {
            "case_number": row.get("case_number"),
            "instructed_on": day(row.get("instructed_on")),
            "instruction": row.text or "",
        }
        for row in element
        if local(row) == "instruction"
    )
    record["follow_ups"] = tuple(
        {
            "case_number": row.get("case_number"),
            "day": day(row.get("day")),
            "note": row.text or "",
        }
        for row in element
        if local(row) == "follow_up"
    )
    return record


def _manifest_entry(element):
    entry = dict(element.attrib)
    for key in ("size", "pages"):
        if key in entry:
            entry[key] = int(entry[key])
    if entry.get("field") != "metadata":
        entry.setdefault("pages", None)
        entry.setdefault("kind", "")
        entry.setdefault("filename", "")
        entry.setdefault("content_type", "")
    return entry


def _amendment(element):
    amendment = dict(element.attrib)
    if "version" in amendment:
        amendment["version"] = int(amendment["version"])
    amendment["reason"] = _child(element, "reason").text or ""
    amendment["changes"] = [
        {
            "field": c.get("field"),
            "title": c.get("title") or "",
            "before": _child(c, "before").text or "",
            "after": _child(c, "after").text or "",
        }
        for c in element.findall(q("change"))
    ]
    return amendment


def _retention_change(element):
    change = dict(element.attrib)
    reason = _child(element, "reason")
    change["reason"] = reason.text or "" if reason is not None else ""
    return change
