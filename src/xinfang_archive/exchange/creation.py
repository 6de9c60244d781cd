"""Writing one checked record into the site: its objects created with
their UIDs and ids, every version replayed with its own time, author and
comment, its workflow state and history, dates and creators restored, its
archival data restored and the record frozen again, its numbers reserved,
published minutes given their notice again, and the import's audit entry.

A record is written whole or not at all (a savepoint): a problem found
while writing (the filing manifest not matching what was written) takes
all of it back, counts included."""

from DateTime import DateTime
from datetime import datetime
from datetime import UTC
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.dexterity.utils import createContent
from plone.namedfile.interfaces import INamedFile
from plone.uuid.interfaces import IMutableUUID
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.archival.codes import parse as parse_code
from xinfang_archive.archival.freeze import freeze
from xinfang_archive.archival.numbering import reserve_item
from xinfang_archive.audit.recorder import record as audit
from xinfang_archive.content.accountability import (
    COUNTERS_KEY as ACCOUNTABILITY_COUNTERS_KEY,
)
from xinfang_archive.content.accountability import (
    NUMBER_FORMAT as ACCOUNTABILITY_NUMBER_FORMAT,
)
from xinfang_archive.content.dispute_link import LINKS_ATTRIBUTE
from xinfang_archive.content.dispute_link import SOURCE_ATTRIBUTE
from xinfang_archive.content.hearing import HEARING_COUNTERS_KEY
from xinfang_archive.content.hearing import HEARING_NUMBER_FORMAT
from xinfang_archive.content.registration import reserve_number
from xinfang_archive.exchange.archival_checks import manifest_problems
from xinfang_archive.exchange.reader import RecordProblem
from xinfang_archive.exchange.reader import schema_fields
from xinfang_archive.exchange.records import CONTAINERS
from xinfang_archive.hearings.publication import write_notice
from xinfang_archive.hearings.rules import publish_problems
from xinfang_archive.i18n import record_text
from xinfang_archive.savepoints import all_or_nothing
from z3c.relationfield.event import updateRelations
from zope.container.interfaces import INameChooser

import time


ARCHIVAL_FIELDS = (
    "archival_code",
    "fonds_code",
    "filing_year",
    "retention_period",
    "retention_expires",
    "organisation_code",
    "organisation_title",
    "item_number",
    "filed_on",
    "filed_by",
)


class RecordCreator:
    """Writes records into ``site``; relations go through ``relations``
    (``relations.Relations``), versions and files are counted in
    ``report``, and ``note`` names the import in the audit trail."""

    def __init__(self, site, relations, report, note):
        self.site = site
        self.relations = relations
        self.report = report
        self.note = note
        self.workflow = api.portal.get_tool("portal_workflow")
        self.repository = api.portal.get_tool("portal_repository")

    def write(self, record, origin=None):
        """Write ``record`` whole, or nothing of it (the error is re-raised)."""
        counts = self.report.versions, self.report.files
        try:
            with all_or_nothing():
                self._write(record, origin)
        except BaseException:
            self.report.versions, self.report.files = counts  # nothing of it was kept
            raise

    def _write(self, record, origin):
        container = self.site[CONTAINERS[record.kind.element]]
        obj = self._create(container, record)
        _screening_links(obj, record)
        _reserve_numbers(record)
        for _path, item in record.walk():
            target = obj.unrestrictedTraverse(_path) if _path else obj
            self._lifecycle(target, item)
        if record.archival:
            self._archival(obj, record)
            problems = manifest_problems(obj)
            if problems:
                raise RecordProblem(problems)
        if record.kind.element == "hearing":
            _publish_notices(obj)
        audit(
            "import",
            obj,
            details={
                "identifier": record.identifier,
                "source": self.note,
                "versions": sum(len(i.versions) for _p, i in record.walk()),
            },
        )
        if record.kind.element == "case":
            # provenance for the package's PREMIS events: when and from what
            # this archive took the case in (the audit trail holds the rest)
            obj.ingestions = PersistentList(
                [
                    dict(
                        time=datetime.now(UTC).isoformat(),
                        actor=api.user.get_current().getId(),
                        **(origin or {}),
                    )
                ]
            )
        for _path, item in record.walk():
            target = obj.unrestrictedTraverse(_path) if _path else obj
            target.reindexObject()
            if item.modified:  # reindexing stamps "now"; the record keeps its own date
                target.modification_date = DateTime(item.modified)

    def _set(self, obj, item, values):
        fields = schema_fields(item.kind.portal_type)
        ready = self.relations.ready(item, values)
        for name in fields:
            if name == "title" and item.kind.element in ("reply", "supervision"):
                continue
            setattr(obj, name, ready.get(name))

    def _create(self, container, item):
        obj = createContent(item.kind.portal_type)
        if item.uid:
            IMutableUUID(obj).set(item.uid)
        # Added with its current values, so that what the added event does
        # (numbering, query code, access of accusation material) sees them;
        # the versions are replayed after.
        self._set(obj, item, item.values)
        obj._v_imported = (
            True  # a record registered elsewhere (content.reception_links)
        )
        new_id = _id_for(container, item, obj)
        obj.id = new_id
        container._setObject(new_id, obj)
        obj = container._getOb(new_id)
        item.uid = IUUID(obj)  # a record from a system without UIDs has one now
        self._versions(obj, item)
        self.report.files += sum(
            1 for v in item.values.values() if INamedFile.providedBy(v)
        )
        for child in item.children:
            self._create(obj, child)
        return obj

    def _versions(self, obj, item):
        """The record's versions replayed, then its current values; a
        record without versions gets a first one, as Plone gives anything
        added."""
        for version in item.versions:
            self._set(obj, item, version.values)
            obj.modification_date = DateTime(version.time)
            self._save(
                obj, version.comment, version.time.timestamp(), version.principal or ""
            )
        if item.versions:
            self._set(obj, item, item.values)
        elif self.repository.isVersionable(obj) and self.repository.supportsPolicy(
            obj, "at_edit_autoversion"
        ):
            when = item.modified or item.created
            self._save(
                obj,
                record_text(_("Imported")),
                when.timestamp() if when else time.time(),
                (item.creators or (api.user.get_current().getId(),))[0],
            )

    def _save(self, obj, comment, timestamp, principal):
        self.repository._recursiveSave(
            obj,
            {},
            {
                "comment": comment,
                "timestamp": timestamp,
                "originator": None,
                "principal": principal,
            },
            autoapply=self.repository.autoapply,
        )
        self.report.versions += 1

    def _lifecycle(self, obj, item):
        if item.created:
            obj.creation_date = DateTime(item.created)
        if item.modified:
            obj.modification_date = DateTime(item.modified)
        if item.creators:
            obj.setCreators(item.creators)
        if item.workflow_id:
            entries = tuple(
                dict(entry, time=DateTime(entry["time"])) for entry in item.history
            )
            history = obj.workflow_history
            history[item.workflow_id] = entries
            for other in list(history.keys()):
                if other != item.workflow_id:
                    del history[other]
            self.workflow.getWorkflowById(item.workflow_id).updateRoleMappingsFor(obj)
        updateRelations(obj, None)

    def _archival(self, case, record):
        """The archival data as filed, the 档号's item held by the record,
        and the record frozen."""
        data = dict(record.archival)
        for name in ARCHIVAL_FIELDS:
            setattr(case, name, data.get(name))
        case.retention_rules = tuple(data.get("retention_rules") or ())
        case.archival_manifest = tuple(data.get("manifest") or ())
        case.amendments = PersistentList(data.get("amendments") or [])
        case.retention_history = PersistentList(data.get("retention_history") or [])
        if data.get("transfers"):
            case.transfers = PersistentList(data["transfers"])
        if data.get("reception_record"):
            case.reception_record = data["reception_record"]
        parsed = parse_code(case.archival_code)
        reserve_item(parsed.group, parsed.item, site=self.site).items[parsed.item] = (
            IUUID(case)
        )
        freeze(case)


def _reserve_numbers(record):
    """The record's number is taken: the site's numbering never gives it again."""
    if record.kind.element == "case":
        reserve_number(record.identifier)
    elif record.kind.element == "hearing":
        reserve_number(record.identifier, HEARING_NUMBER_FORMAT, HEARING_COUNTERS_KEY)
    elif record.values.get("record_number"):
        reserve_number(
            record.values["record_number"],
            ACCOUNTABILITY_NUMBER_FORMAT,
            ACCOUNTABILITY_COUNTERS_KEY,
        )


def _id_for(container, item, obj):
    """The record's own id where it is a safe, free name here (Plone's
    name checks: no clash, no view or acquired name); a hearing is named
    after its number, as in the site.  Otherwise a name is chosen."""
    chooser = INameChooser(container)
    wanted = item.id
    if item.kind.element == "hearing" and item.values.get("hearing_number"):
        wanted = item.values["hearing_number"].lower()
    if item.kind.element == "accountability" and item.values.get("record_number"):
        wanted = item.values["record_number"].lower()
    if wanted and wanted not in container and chooser.checkName(wanted, obj):
        return wanted
    return chooser.chooseName(item.identifier or item.kind.element, obj)


def _publish_notices(hearing):
    """Published minutes are public through their notice: write it again."""
    for transcript in hearing.objectValues():
        if api.content.get_state(transcript, default=None) == "published":
            problems = publish_problems(transcript)
            if problems:
                raise RecordProblem(
                    [
                        _(
                            "Published minutes that may not be published: ${reasons}",
                            mapping={
                                "reasons": "；".join(record_text(p) for p in problems)
                            },
                        )
                    ]
                )
            write_notice(transcript)


def _screening_links(obj, record):
    """A screened dispute made a case, as the record says: the case's
    source (report UID, key) or the report's {dispute key: case UID}.
    Both sides name the other by UID, so either may come in first."""
    if record.screening_source:
        setattr(obj, SOURCE_ATTRIBUTE, tuple(record.screening_source))
    if record.dispute_cases:
        setattr(obj, LINKS_ATTRIBUTE, PersistentMapping(record.dispute_cases))
