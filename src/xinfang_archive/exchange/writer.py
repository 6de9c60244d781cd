"""Cases and the records around them as exchange XML (``exchange.xsd``).

Every record is written with its current metadata, its life cycle (dates,
creators, workflow history), every stored version (CMFEditions) with its
own metadata and files, and, for a filed case (or a record filed on its
own, a screening report), its archival data.  The query code of a case is
never written: it is the petitioner's secret.  A dispute screened and made
a case is written on both sides, as the archive keeps it: the report's
``dispute_cases`` (dispute key → case UID) and the case's ``screening_source``.
"""

from Acquisition import aq_base
from datetime import datetime
from datetime import UTC
from lxml import etree
from plone import api
from plone.uuid.interfaces import IUUID
from xinfang_archive.archival.manifest import main_schema_fields
from xinfang_archive.content.dispute_link import case_links
from xinfang_archive.content.dispute_link import source_of
from xinfang_archive.exchange.fields import FileWriter
from xinfang_archive.exchange.fields import iso_datetime
from xinfang_archive.exchange.fields import NSMAP
from xinfang_archive.exchange.fields import q
from xinfang_archive.exchange.fields import write_field
from xinfang_archive.exchange.records import BY_TYPE
from xinfang_archive.exchange.records import FILED_ON_THEIR_OWN
from xinfang_archive.exchange.records import KINDS
from xinfang_archive.exchange.records import ORDER

import xinfang_archive


FORMAT_VERSION = "1.0"
PRODUCER = "xinfang-archive"


def _zope_datetime(value):
    """A Zope ``DateTime`` as an aware ``datetime``."""
    return value.asdatetime().astimezone(UTC)


def identifier_of(obj):
    """The identifier other systems know a record by."""
    return (
        getattr(aq_base(obj), "registration_number", None)
        or getattr(aq_base(obj), "hearing_number", None)
        or getattr(aq_base(obj), "record_number", None)
        or obj.getId()
    )


def _relation_target(relation):
    to_object = getattr(relation, "to_object", None)
    if to_object is None:  # a record not in this archive, as it was imported
        return getattr(relation, "target_uid", None), getattr(
            relation, "target_identifier", None
        )
    return IUUID(to_object, None), identifier_of(to_object)


def write_metadata(parent, obj, files, element_name="metadata"):
    metadata = etree.SubElement(parent, q(element_name))
    for name, field in main_schema_fields(obj):
        write_field(
            metadata,
            name,
            field,
            getattr(aq_base(obj), name, None),
            files,
            ref_identifier=_relation_target,
        )
    return metadata


def write_lifecycle(parent, obj, kind):
    lifecycle = etree.SubElement(parent, q("lifecycle"))
    etree.SubElement(lifecycle, q("created")).text = iso_datetime(
        _zope_datetime(obj.created())
    )
    etree.SubElement(lifecycle, q("modified")).text = iso_datetime(
        _zope_datetime(obj.modified())
    )
    for creator in obj.listCreators():
        etree.SubElement(lifecycle, q("creator")).text = creator
    if kind.workflow:
        history = (getattr(aq_base(obj), "workflow_history", None) or {}).get(
            kind.workflow
        ) or ()
        if history:
            workflow = etree.SubElement(
                lifecycle,
                q("workflow"),
                id=kind.workflow,
                state=api.content.get_state(obj),
            )
            for entry in history:
                attrs = {
                    "state": entry.get("review_state") or "",
                    "time": iso_datetime(_zope_datetime(entry["time"])),
                }
                for key in ("action", "actor"):
                    if entry.get(key):
                        attrs[key] = str(entry[key])
                item = etree.SubElement(workflow, q("entry"), attrs)
                if entry.get("comments"):
                    etree.SubElement(item, q("comments")).text = entry["comments"]
    return lifecycle


def stored_versions(obj):
    """``(number, sys_metadata, versioned object)`` of every stored version, oldest first."""
    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(obj):
        return []
    history = repository.getHistoryMetadata(obj)
    if not history:
        return []
    versions = []
    for index in range(history.getLength(countPurged=False)):
        version_id = history.getVersionId(index, countPurged=False)
        meta = history.retrieve(index, countPurged=False)["metadata"]["sys_metadata"]
        versions.append((version_id, meta, repository.retrieve(obj, version_id).object))
    return versions


def write_versions(parent, obj, files):
    versions = stored_versions(obj)
    if not versions:
        return None
    element = etree.SubElement(parent, q("versions"))
    for number, meta, version in versions:
        attrs = {
            "number": str(number),
            "time": iso_datetime(datetime.fromtimestamp(meta["timestamp"], UTC)),
        }
        if meta.get("principal"):
            attrs["principal"] = str(meta["principal"])
        if meta.get("comment"):
            attrs["comment"] = str(meta["comment"])
        item = etree.SubElement(element, q("version"), attrs)
        write_metadata(item, version, files)
    return element


ARCHIVAL_SCALARS = (
    "archival_code",
    "fonds_code",
    "filing_year",
    "retention_period",
    "retention_expires",
    "retention_rules",
    "organisation_code",
    "organisation_title",
    "item_number",
    "filed_on",
    "filed_by",
)
MANIFEST_ATTRS = (
    "path",
    "uid",
    "field",
    "sha256",
    "filename",
    "size",
    "content_type",
    "pages",
    "kind",
)


def _text(value):
    if isinstance(value, datetime):
        return iso_datetime(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_archival(parent, case):
    if not getattr(aq_base(case), "archival_code", None):
        return None
    archival = etree.SubElement(parent, q("archival"))
    for name in ARCHIVAL_SCALARS:
        value = getattr(case, name, None)
        if value is None or value == "":
            continue
        element = etree.SubElement(archival, q(name))
        if name == "retention_rules":
            for rule in value:
                etree.SubElement(element, q("item")).text = rule
        else:
            element.text = _text(value)
    manifest = etree.SubElement(archival, q("manifest"))
    for entry in case.archival_manifest:
        etree.SubElement(
            manifest,
            q("entry"),
            {
                key: _text(entry.get(key) or "")
                for key in MANIFEST_ATTRS
                if key in ("path", "uid") or entry.get(key) not in (None, "")
            },
        )
    amendments = etree.SubElement(archival, q("amendments"))
    for amendment in getattr(case, "amendments", None) or ():
        attrs = {
            k: _text(amendment[k])
            for k in ("time", "actor", "path", "title", "version")
            if amendment.get(k) not in (None, "")
        }
        element = etree.SubElement(amendments, q("amendment"), attrs)
        etree.SubElement(element, q("reason")).text = amendment.get("reason") or ""
        for change in amendment.get("changes") or ():
            change_element = etree.SubElement(
                element,
                q("change"),
                {k: str(change[k]) for k in ("field", "title") if change.get(k)},
            )
            etree.SubElement(change_element, q("before")).text = str(
                change.get("before") or ""
            )
            etree.SubElement(change_element, q("after")).text = str(
                change.get("after") or ""
            )
    history = etree.SubElement(archival, q("retention_history"))
    for change in getattr(case, "retention_history", None) or ():
        element = etree.SubElement(
            history,
            q("change"),
            {
                k: _text(change[k])
                for k in ("time", "actor", "before", "after", "appraisal")
                if change.get(k) not in (None, "")
            },
        )
        if change.get("reason"):
            etree.SubElement(element, q("reason")).text = change["reason"]
    transfers = getattr(case, "transfers", None) or ()
    if transfers:
        element = etree.SubElement(archival, q("transfers"))
        for transfer in transfers:
            etree.SubElement(
                element,
                q("transfer"),
                {
                    k: _text(transfer[k])
                    for k in (
                        "time",
                        "actor",
                        "package",
                        "package_sha256",
                        "receiver",
                        "appraisal",
                    )
                    if transfer.get(k) not in (None, "")
                },
            )
    _write_reception_record(archival, getattr(aq_base(case), "reception_record", None))
    return archival


def _write_reception_record(archival, record):
    """The leader's instructions and follow-ups on a case received at a
    reception day, copied into the case at its filing (receptions/filing.py)."""
    if not record:
        return
    element = etree.SubElement(
        archival,
        q("reception_record"),
        {k: str(record[k]) for k in ("reception", "reception_uid") if record.get(k)},
    )
    for row in record.get("instructions") or ():
        etree.SubElement(
            element,
            q("instruction"),
            {k: _text(row[k]) for k in ("case_number", "instructed_on") if row.get(k)},
        ).text = row.get("instruction") or ""
    for row in record.get("follow_ups") or ():
        etree.SubElement(
            element,
            q("follow_up"),
            {k: _text(row[k]) for k in ("case_number", "day") if row.get(k)},
        ).text = row.get("note") or ""


def write_screening_source(parent, case):
    """The screening report (UID) and dispute (key) the case was made from."""

    source = source_of(case)
    if not source:
        return None
    report, key = source
    return etree.SubElement(
        parent, q("screening_source"), {"report": report, "key": key}
    )


def write_dispute_cases(parent, report):
    """The disputes of the report that became cases: key, case UID and number."""

    links = case_links(report)
    if not links:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    element = etree.SubElement(parent, q("dispute_cases"))
    for key, uid in sorted(links.items()):
        attrs = {"key": key, "uid": uid}
        for brain in catalog.unrestrictedSearchResults(UID=uid):
            if getattr(brain, "registration_number", None):
                attrs["identifier"] = brain.registration_number
        etree.SubElement(element, q("dispute_case"), attrs)
    return element


def in_document_order(records):
    """``records`` in the order exchange.xsd asks (stable within a kind)."""
    return sorted(
        records, key=lambda obj: ORDER.index(BY_TYPE[obj.portal_type].element)
    )


def record_element(obj, files, versions=True):
    """The element of ``obj`` (a case or a hearing) and everything in it."""
    kind = BY_TYPE[obj.portal_type]
    element = etree.Element(
        q(kind.element), {"uid": IUUID(obj), "id": obj.getId()}, nsmap=NSMAP
    )
    _fill(element, obj, kind, files, versions)
    return element


def _fill(element, obj, kind, files, versions):
    write_metadata(element, obj, files)
    write_lifecycle(element, obj, kind)
    if versions:
        write_versions(element, obj, files)
    if kind.element == "case":
        write_screening_source(element, obj)
    if kind.element == "case" or kind.element in FILED_ON_THEIR_OWN:
        write_archival(element, obj)
    if kind.element == "screening":
        write_dispute_cases(element, obj)
    for group, child_element in kind.children:
        child_kind = KINDS[child_element]
        children = [
            child
            for child in obj.objectValues()
            if child.portal_type == child_kind.portal_type
        ]
        if not children:
            continue
        group_element = etree.SubElement(element, q(group))
        for child in children:
            item = etree.SubElement(
                group_element,
                q(child_kind.element),
                {"uid": IUUID(child), "id": child.getId()},
            )
            _fill(item, child, child_kind, files, versions)


def exchange_attributes(source=""):
    attrs = {
        "version": FORMAT_VERSION,
        "created": iso_datetime(datetime.now(UTC)),
        "producer": f"{PRODUCER} {_version()}",
    }
    if source:
        attrs["source"] = source
    return attrs


def _version():
    from importlib.metadata import version

    try:
        return version(xinfang_archive.__name__)
    except Exception:  # an uninstalled checkout
        return "dev"


def write_exchange(path, records, files=None, versions=True, source="", progress=None):
    """Write ``records`` to ``path`` as one exchange document (in the order
    the schema asks: reception days and screening reports, cases, then
    hearings, meetings and accountability records), streaming: one record
    in memory at a time."""
    files = files or FileWriter()
    records = in_document_order(records)
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(q("exchange"), exchange_attributes(source), nsmap=NSMAP):
            for done, obj in enumerate(records, start=1):
                xf.write(record_element(obj, files, versions), pretty_print=True)
                if progress:
                    progress(done, len(records))


def exchange_bytes(records, files=None, versions=True, source=""):
    """One exchange document in memory (for one case and its hearings)."""
    files = files or FileWriter()
    root = etree.Element(q("exchange"), exchange_attributes(source), nsmap=NSMAP)
    for obj in in_document_order(records):
        root.append(record_element(obj, files, versions))
    return etree.tostring(
        root, xml_declaration=True, encoding="utf-8", pretty_print=True
    )
