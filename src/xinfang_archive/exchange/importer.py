"""Bulk import of exchange XML: checked first, then each case (or hearing)
written all or nothing, committed in batches.

* Every file is parsed with the hardened parser (no DTD, no entities, no
  network, size limit) and validated against ``exchange.xsd``; schema errors
  are reported against the case they fall in, and only that case is skipped.
* A case is checked before anything is written: field values against the
  content schemas and vocabularies, files against their size and SHA-256,
  its UID, registration number and 档号 against the site.
* A case that is already in the site (same UID or registration number) is
  skipped, so an import that was killed can simply be run again: cases are
  committed whole, in batches, and the ones committed before the kill are
  found and skipped.
* Versions are replayed with their own times, authors and comments; the
  workflow state and history, creation dates and the archival data (档号,
  manifest, amendments) are restored as they were, and filed cases are
  frozen again.
"""
from Acquisition import aq_base
from dataclasses import dataclass
from dataclasses import field
from DateTime import DateTime
from pathlib import Path
from persistent.list import PersistentList
from plone import api
from plone.dexterity.utils import createContent
from plone.uuid.interfaces import IMutableUUID
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.content.hearing import HEARING_COUNTERS_KEY
from xinfang_archive.content.hearing import HEARING_NUMBER_FORMAT
from xinfang_archive.content.registration import reserve_number
from xinfang_archive.exchange.atomic import all_or_nothing
from xinfang_archive.exchange.atomic import automatic_versioning_paused
from xinfang_archive.exchange.fields import local
from xinfang_archive.exchange.fields import NS
from xinfang_archive.exchange.fields import REFS
from xinfang_archive.exchange.fields import kind_of
from xinfang_archive.exchange.reader import FileSource
from xinfang_archive.exchange.reader import read_record
from xinfang_archive.exchange.reader import RecordProblem
from xinfang_archive.exchange.reader import schema_fields
from xinfang_archive.exchange.safexml import DEFAULT_MAX_BYTES
from xinfang_archive.exchange.safexml import load_schema
from xinfang_archive.exchange.safexml import parse
from xinfang_archive.exchange.safexml import validation_errors
from xinfang_archive.exchange.safexml import XMLRefused
from xinfang_archive.i18n import record_text
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.i18nmessageid import Message
from zope.intid.interfaces import IIntIds
from zope.schema import getFieldsInOrder
from zope.schema import getValidationErrors

import time
import transaction


IMPORTED, SKIPPED, FAILED, CHECKED = "imported", "skipped", "failed", "checked"
EXCHANGE_SCHEMA = "exchange.xsd"
ROOT = f"{{{NS}}}exchange"


@dataclass
class Outcome:
    """What became of one case or hearing of the import."""

    source: str  # file:line
    kind: str  # case, hearing
    identifier: str
    status: str
    messages: list = field(default_factory=list)  # translatable, or plain text

    def texts(self):
        return [record_text(m) if isinstance(m, Message) else m for m in self.messages]


@dataclass
class ImportReport:
    dry_run: bool = False
    outcomes: list = field(default_factory=list)
    refused_files: list = field(default_factory=list)  # (path, message text)
    warnings: list = field(default_factory=list)  # plain texts
    seconds: float = 0.0
    versions: int = 0
    files: int = 0

    def count(self, status, kind=None):
        return sum(1 for o in self.outcomes if o.status == status and (kind is None or o.kind == kind))

    @property
    def ok(self):
        return not self.refused_files and not self.count(FAILED)


def exchange_files(source):
    """The exchange files of ``source``: a file, a directory of XML files, or
    a BagIt package (its ``data/cases/*/exchange.xml``, then its hearings)."""
    source = Path(source)
    if source.is_file():
        return [source]
    if not source.is_dir():
        return []
    if (source / "bagit.txt").is_file():
        data = source / "data"
        return sorted(data.glob("cases/*/exchange.xml")) + sorted(data.glob("hearings/*/exchange.xml"))
    return sorted(path for path in source.rglob("*.xml") if path.is_file())


class Importer:
    def __init__(self, site, dry_run=False, commit_every=50, max_bytes=DEFAULT_MAX_BYTES,
                 progress=None, note="xinfang-archive import"):
        self.site = site
        self.dry_run = dry_run
        self.commit_every = commit_every
        self.max_bytes = max_bytes
        self.progress = progress
        self.note = note
        self.report = ImportReport(dry_run=dry_run)
        self.catalog = api.portal.get_tool("portal_catalog")
        self.workflow = api.portal.get_tool("portal_workflow")
        self.repository = api.portal.get_tool("portal_repository")
        self.intids = getUtility(IIntIds)
        self.pending_relations = []  # (case uid, field name, [(uid, identifier)])
        self.claimed = {}  # dry run: uid / number / 档号 taken by an earlier case of this import
        self.uncommitted = 0
        self.waiting = []  # (path, element, schema errors) of cases referring to cases not yet in

    # --- the run -------------------------------------------------------------

    def run(self, sources):
        """Import ``sources`` (files, directories, packages).  Cases come
        first, file by file (one file in memory at a time); the hearings
        of all files follow, since they name cases."""
        started = time.perf_counter()
        files = [path for source in sources for path in exchange_files(source)]
        if not files:
            self.report.refused_files.extend(
                (str(s), record_text(_("No exchange XML found here."))) for s in sources)
        hearings = []
        single = len(files) == 1
        with automatic_versioning_paused():
            for number, path in enumerate(files, start=1):
                root = self._load(path)
                if root is None:
                    continue
                invalid = self._schema_errors(root)
                cases = [e for e in root if local(e) == "case"]
                hearings.extend((path, e, invalid) for e in root if local(e) == "hearing")
                for done, element in enumerate(cases, start=1):
                    self._one(path, element, invalid)
                    if single:
                        self._tick(done, len(cases))
                if not single:
                    self._tick(number, len(files))
            self._import_waiting()
            for path, element, invalid in hearings:
                self._one(path, element, invalid)
            self._resolve_pending_relations()
            self._commit()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _tick(self, done, total):
        if self.progress:
            self.progress(done, total)

    def _load(self, path):
        try:
            tree = parse(path, max_bytes=self.max_bytes)
        except XMLRefused as error:
            self.report.refused_files.append((str(path), str(error)))
            return None
        root = tree.getroot()
        if root.tag != ROOT:
            if len(self.report.refused_files) < 1000:
                self.report.warnings.append(record_text(_(
                    "${path}: not an exchange file (root element ${root}); left out.",
                    mapping={"path": str(path), "root": root.tag})))
            return None
        return root

    def _schema_errors(self, root):
        """``{top-level element: [messages]}`` of the XSD errors, by the case
        or hearing they fall in; errors outside any refuse the whole file."""
        errors = validation_errors(root.getroottree(), load_schema(EXCHANGE_SCHEMA))
        items = [e for e in root if local(e) in ("case", "hearing")]
        starts = [e.sourceline or 0 for e in items]
        invalid = {}
        for line, message in errors:
            owner = None
            for element, start in zip(items, starts):
                if line is not None and start <= line:
                    owner = element
            text = f"XSD（第 {line} 行）：{message}"
            if owner is None:
                invalid.setdefault(None, []).append(text)
            else:
                invalid.setdefault(owner, []).append(text)
        return invalid

    def _one(self, path, element, invalid, may_wait=True):
        """Import one case or hearing.  A case that refers to cases not yet
        in the site waits (``self.waiting``) until the rest is in, so that
        its relations, in every version, point at them."""
        kind = local(element)
        outcome = Outcome(source=f"{path}:{element.sourceline}", kind=kind,
                          identifier=_identifier(element), status=FAILED)
        problems = invalid.get(None, []) + invalid.get(element, [])
        if problems:
            outcome.messages = problems
            self.report.outcomes.append(outcome)
            return
        try:
            record = read_record(element, FileSource(Path(path).parent))
            existing = self._existing(record)
            if existing is not None:
                outcome.status, outcome.messages = SKIPPED, [existing]
            else:
                self._check(record)
                if self.dry_run:
                    self._claim(record)
                    outcome.status = CHECKED
                elif may_wait and self._refers_ahead(record):
                    self.waiting.append((path, element, invalid))
                    return
                else:
                    with all_or_nothing():
                        self._write(record)
                    outcome.status = IMPORTED
        except RecordProblem as problem:
            outcome.messages = problem.messages
        except Exception as error:  # anything else: this item is skipped, the others go on
            outcome.messages = [_("Could not be written: ${error}",
                                  mapping={"error": f"{type(error).__name__}: {error}"})]
        self.report.outcomes.append(outcome)
        if outcome.status == IMPORTED:
            self.uncommitted += 1
            if self.uncommitted >= self.commit_every:
                self._commit()

    def _refers_ahead(self, record):
        for _path, item in record.walk():
            fields = schema_fields(item.kind.portal_type)
            values = [item.values] + [v.values for v in item.versions]
            for name, field_ in fields.items():
                if kind_of(field_) != REFS:
                    continue
                for version in values:
                    for uid, identifier in version.get(name) or ():
                        if self._case_for(uid, identifier) is None:
                            return True
        return False

    def _import_waiting(self):
        """The cases that waited for others: again while any gets in."""
        while self.waiting:
            waiting, self.waiting = self.waiting, []
            before = len(self.report.outcomes)
            for path, element, invalid in waiting:
                self._one(path, element, invalid, may_wait=True)
            if len(self.report.outcomes) == before:  # nothing moved: write them as they are
                for path, element, invalid in self.waiting:
                    self._one(path, element, invalid, may_wait=False)
                self.waiting = []

    def _commit(self):
        if self.dry_run:
            transaction.abort()
            return
        if self.uncommitted:
            transaction.get().note(f"{self.note}: {self.uncommitted} items")
        transaction.commit()
        self.uncommitted = 0

    # --- checks --------------------------------------------------------------

    def _brains(self, **query):
        return self.catalog.unrestrictedSearchResults(**query)

    def _existing(self, record):
        """Why ``record`` is skipped (already here), None to import it;
        raises ``RecordProblem`` when it clashes with another record."""
        by_uid = list(self._brains(UID=record.uid)) if record.uid else []
        number_index = "registration_number" if record.kind.element == "case" else None
        by_number = []
        if number_index and record.values.get("registration_number"):
            by_number = list(self._brains(portal_type=record.kind.portal_type,
                                          registration_number=record.values["registration_number"]))
        if record.kind.element == "hearing" and record.values.get("hearing_number"):
            by_number = [b for b in self._brains(portal_type="Hearing")
                         if b.getId == record.values["hearing_number"].lower()]
        if by_uid:
            brain = by_uid[0]
            if brain.portal_type != record.kind.portal_type or (
                    by_number and by_number[0].UID != record.uid) or (
                    number_index and record.values.get("registration_number")
                    and brain.registration_number != record.values["registration_number"]):
                raise RecordProblem([_("The UID ${uid} already belongs to another record (${path}).",
                                       mapping={"uid": record.uid, "path": brain.getPath()})])
            return _("Already in the archive (same UID): skipped.")
        if by_number:
            if record.uid and by_number[0].UID != record.uid:
                raise RecordProblem([_("The number ${number} already belongs to another record with another UID.",
                                       mapping={"number": record.identifier})])
            return _("Already in the archive (same number): skipped.")
        for key in self._claims(record):
            if key in self.claimed:
                raise RecordProblem([_("Given twice in this import: ${what}.", mapping={"what": key[1]})])
        return None

    def _claims(self, record):
        keys = [("number", record.identifier)]
        if record.uid:
            keys.append(("uid", record.uid))
        if record.archival:
            keys.append(("code", record.archival.get("archival_code")))
        return keys

    def _claim(self, record):
        for key in self._claims(record):
            self.claimed[key] = True

    def _check(self, record):
        problems = []
        if record.kind.element == "case" and not record.values.get("registration_number"):
            problems.append(_("A case needs its registration number (登记编号)."))
        for path, item in record.walk():
            problems.extend(self._field_problems(item, path))
            if item.uid and list(self._brains(UID=item.uid)):
                problems.append(_("The UID ${uid} already belongs to another record.",
                                  mapping={"uid": item.uid}))
            if item.workflow_id:
                wf = self.workflow.getWorkflowById(item.workflow_id)
                chain = self.workflow.getChainForPortalType(item.kind.portal_type)
                if wf is None or item.workflow_id not in chain:
                    problems.append(_("Unknown workflow ${workflow} for ${what}.",
                                      mapping={"workflow": item.workflow_id, "what": item.kind.portal_type}))
                elif item.state not in wf.states:
                    problems.append(_("Unknown workflow state ${state}.", mapping={"state": item.state}))
        if record.kind.element == "hearing":
            for uid, identifier in record.values.get("cases") or ():
                if self._case_for(uid, identifier) is None:
                    problems.append(_("The hearing names a case that is not in the archive: ${case}.",
                                      mapping={"case": identifier or uid}))
        if record.archival:
            problems.extend(self._archival_problems(record))
        if problems:
            raise RecordProblem(problems)

    def _field_problems(self, item, path):
        fields = schema_fields(item.kind.portal_type)
        values = {name: _complete_rows(fields[name], value) for name, value in item.values.items()
                  if kind_of(fields[name]) != REFS}
        probe = _Probe(self.site, fields, values)
        iface = _schema(item.kind.portal_type)
        problems = []
        where = f"{item.kind.element} {path or item.identifier}"
        for name, error in getValidationErrors(iface, probe):
            if name is not None and name in fields and kind_of(fields[name]) == REFS:
                continue
            title = record_text(fields[name].title) if name in fields else ""
            detail = _error_text(error)
            problems.append(f"{where}：{title or name or '不变式'}：{detail}")
        return problems

    def _archival_problems(self, record):
        from xinfang_archive.archival.codes import parse as parse_code
        from xinfang_archive.archival.codes import well_formed
        from xinfang_archive.archival.numbering import group_state

        code = record.archival.get("archival_code") or ""
        if not well_formed(code):
            return [_("The archival code ${code} is not well-formed.", mapping={"code": code})]
        parsed = parse_code(code)
        state = group_state(parsed.group, self.site)
        holder = state.items.get(parsed.item) if state is not None else None
        if holder is not None and holder != record.uid:
            return [_("The archival code ${code} is already held by another record in this archive.",
                      mapping={"code": code})]
        if record.state != "filed":
            return [_("Archival data belongs to filed cases only (state: ${state}).",
                      mapping={"state": record.state or "-"})]
        return []

    def _case_for(self, uid, identifier):
        brains = self._brains(UID=uid, portal_type="PetitionCase") if uid else []
        if not brains and identifier:
            brains = self._brains(portal_type="PetitionCase", registration_number=identifier)
        if brains:
            return brains[0]._unrestrictedGetObject()
        if self.dry_run and (("uid", uid) in self.claimed or ("number", identifier) in self.claimed):
            return True
        return None

    # --- writing -------------------------------------------------------------

    def _write(self, record):
        if record.kind.element == "case":
            container = self.site["cases"]
        else:
            container = self.site["hearings"]
        obj = self._create(container, record)
        if record.kind.element == "case":
            reserve_number(record.identifier)
        else:
            reserve_number(record.identifier, HEARING_NUMBER_FORMAT, HEARING_COUNTERS_KEY)
        for _path, item in record.walk():
            target = obj.unrestrictedTraverse(_path) if _path else obj
            self._lifecycle(target, item)
        if record.archival:
            self._archival(obj, record)
            problems = manifest_problems(obj)
            if problems:
                raise RecordProblem(problems)
        if record.kind.element == "hearing":
            self._publish_notices(obj, record)
        from xinfang_archive.audit.recorder import record as audit

        audit("import", obj, details=dict(identifier=record.identifier, source=self.note,
                                          versions=sum(len(i.versions) for _p, i in record.walk())))
        for _path, item in record.walk():
            target = obj.unrestrictedTraverse(_path) if _path else obj
            target.reindexObject()
            if item.modified:  # reindexing stamps "now"; the record keeps its own date
                target.modification_date = DateTime(item.modified)

    def _values(self, item, values):
        """Values ready to set: relations resolved (unresolved ones wait
        for the end of the import)."""
        fields = schema_fields(item.kind.portal_type)
        ready = {}
        for name, value in values.items():
            if kind_of(fields[name]) == REFS:
                relations, missing = [], []
                for uid, identifier in value:
                    target = self._case_for(uid, identifier)
                    if target is None:
                        missing.append((uid, identifier))
                    else:
                        relations.append(RelationValue(self.intids.getId(target)))
                if missing:
                    self.pending_relations.append((item.uid, name, list(value)))
                value = relations
            ready[name] = value
        return ready

    def _set(self, obj, item, values):
        fields = schema_fields(item.kind.portal_type)
        ready = self._values(item, values)
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
        new_id = item.id if item.id and item.id not in container else None
        if new_id is None:
            from zope.container.interfaces import INameChooser

            new_id = INameChooser(container).chooseName(item.identifier or item.kind.element, obj)
        obj.id = new_id
        container._setObject(new_id, obj)
        obj = container._getOb(new_id)
        for version in item.versions:
            self._set(obj, item, version.values)
            obj.modification_date = DateTime(version.time)
            self.repository._recursiveSave(obj, {}, {
                "comment": version.comment, "timestamp": version.time.timestamp(),
                "originator": None, "principal": version.principal or "",
            }, autoapply=self.repository.autoapply)
            self.report.versions += 1
        if item.versions:
            self._set(obj, item, item.values)
        self.report.files += sum(1 for v in item.values.values() if hasattr(v, "getSize"))
        for child in item.children:
            self._create(obj, child)
        return obj

    def _lifecycle(self, obj, item):
        if item.created:
            obj.creation_date = DateTime(item.created)
        if item.modified:
            obj.modification_date = DateTime(item.modified)
        if item.creators:
            obj.setCreators(item.creators)
        if item.workflow_id:
            entries = tuple(dict(entry, time=DateTime(entry["time"])) for entry in item.history)
            history = obj.workflow_history
            history[item.workflow_id] = entries
            for other in list(history.keys()):
                if other != item.workflow_id:
                    del history[other]
            self.workflow.getWorkflowById(item.workflow_id).updateRoleMappingsFor(obj)
        from z3c.relationfield.event import updateRelations

        updateRelations(obj, None)

    def _archival(self, case, record):
        from xinfang_archive.archival.codes import parse as parse_code
        from xinfang_archive.archival.freeze import freeze
        from xinfang_archive.archival.numbering import _groups
        from xinfang_archive.archival.numbering import ItemGroup

        data = dict(record.archival)
        for name in ("archival_code", "fonds_code", "filing_year", "retention_period",
                     "retention_expires", "organisation_code", "organisation_title",
                     "item_number", "filed_on", "filed_by"):
            setattr(case, name, data.get(name))
        case.retention_rules = tuple(data.get("retention_rules") or ())
        case.archival_manifest = tuple(data.get("manifest") or ())
        case.amendments = PersistentList(data.get("amendments") or [])
        case.retention_history = PersistentList(data.get("retention_history") or [])
        if data.get("transfers"):
            case.transfers = PersistentList(data["transfers"])
        parsed = parse_code(case.archival_code)
        groups = _groups(self.site, create=True)
        state = groups.get(parsed.group.key)
        if state is None:
            state = groups[parsed.group.key] = ItemGroup()
        state.items[parsed.item] = IUUID(case)
        state.last = max(state.last, parsed.item)
        freeze(case)

    def _publish_notices(self, hearing, record):
        """Published minutes are public through their notice: write it again."""
        from xinfang_archive.hearings.publication import write_notice

        for transcript in hearing.objectValues():
            if api.content.get_state(transcript, default=None) == "published":
                write_notice(transcript)

    def _resolve_pending_relations(self):
        if self.dry_run:
            return
        from z3c.relationfield.event import updateRelations

        for uid, name, refs in self.pending_relations:
            brains = self._brains(UID=uid)
            if not brains:
                continue
            obj = brains[0]._unrestrictedGetObject()
            relations, missing = [], []
            for target_uid, identifier in refs:
                target = self._case_for(target_uid, identifier)
                if target is None:
                    missing.append(identifier or target_uid)
                else:
                    relations.append(RelationValue(self.intids.getId(target)))
            setattr(aq_base(obj), name, relations)
            updateRelations(obj, None)
            obj.reindexObject()
            if missing:
                self.report.warnings.append(record_text(_(
                    "${what}: related records not in the archive: ${missing}.",
                    mapping={"what": getattr(obj, "registration_number", obj.getId()),
                             "missing": ", ".join(missing)})))
        self.pending_relations = []


def manifest_problems(case):
    """Whether the imported records are what was filed: every metadata
    digest and file checksum of the case's manifest, recomputed (DA/T 70
    authenticity and integrity on ingest)."""
    from xinfang_archive.archival.manifest import METADATA
    from xinfang_archive.archival.manifest import metadata_digest
    from xinfang_archive.archival.manifest import sha256_stream

    problems = []
    for entry in case.archival_manifest:
        path = entry.get("path") or ""
        obj = case.unrestrictedTraverse(path, None) if path else case
        if obj is None or IUUID(obj, None) != entry.get("uid"):
            problems.append(_("The filed record ${path} is missing from the import.",
                              mapping={"path": path or case.getId()}))
            continue
        if entry["field"] == METADATA:
            if metadata_digest(obj) != entry["sha256"]:
                problems.append(_("The metadata of ${path} differ from what was filed (digest mismatch).",
                                  mapping={"path": path or case.getId()}))
            continue
        value = getattr(aq_base(obj), entry["field"], None)
        if value is None:
            problems.append(_("The filed file ${filename} of ${path} is missing from the import.",
                              mapping={"filename": entry.get("filename"), "path": path}))
            continue
        with value.open() as stream:
            sha, _size = sha256_stream(stream)
        if sha != entry["sha256"]:
            problems.append(_("The file ${filename} of ${path} differs from what was filed (checksum mismatch).",
                              mapping={"filename": entry.get("filename"), "path": path}))
    return problems


def _complete_rows(field, value):
    """Rows with every sub-field, for validation only: a row that lacks a
    key is stored as given (that is how it was filed), but validated as the
    form would have seen it."""
    from xinfang_archive.exchange.fields import ROWS

    if kind_of(field) != ROWS or not value:
        return value
    row_fields = getFieldsInOrder(field.value_type.schema)
    return [dict({name: sub.default for name, sub in row_fields}, **row) for row in value]


def _schema(portal_type):
    from plone.dexterity.interfaces import IDexterityFTI

    return getUtility(IDexterityFTI, name=portal_type).lookupSchema()


class _Probe:
    """Stands for the record while its values are validated: fields read
    their values from here, vocabularies see the site as context."""

    def __init__(self, site, fields, values):
        self.__dict__.update({name: None for name in fields})
        self.__dict__.update(values)
        self._site = site


def _error_text(error):
    """A validation error as the Chinese text an operator can act on."""
    from zope.interface import Invalid
    from zope.schema import ValidationError
    from zope.schema.interfaces import ConstraintNotSatisfied
    from zope.schema.interfaces import RequiredMissing
    from zope.schema.interfaces import WrongContainedType
    from zope.schema.interfaces import WrongType
    from zope.schema._bootstrapinterfaces import OutOfBounds
    from zope.schema._bootstrapinterfaces import TooLong
    from zope.schema._bootstrapinterfaces import TooShort

    if isinstance(error, RequiredMissing):
        return record_text(_("required, but missing"))
    if isinstance(error, WrongContainedType):
        inner = error.errors or []
        return "；".join(_error_text(e) for e in inner) or record_text(_("an item is not valid"))
    if isinstance(error, ConstraintNotSatisfied) and type(error) is ConstraintNotSatisfied:
        return record_text(_("${value} is not an allowed value", mapping={"value": error.value}))
    if isinstance(error, (OutOfBounds, TooLong, TooShort)):
        return record_text(_("${value} is out of the allowed range", mapping={"value": error.value}))
    if isinstance(error, WrongType):
        return record_text(_("${value} is of the wrong type", mapping={"value": error.value}))
    if isinstance(error, ValidationError) and type(error).__doc__ and type(error).__module__.startswith(
            "xinfang_archive"):
        return record_text(error.doc())
    if isinstance(error, Invalid) and error.args and not isinstance(error.args[0], str):
        return record_text(error.args[0])
    return str(error.args[0]) if error.args else type(error).__name__


def _identifier(element):
    metadata = element.find(f"{{{NS}}}metadata")
    if metadata is not None:
        for name in ("registration_number", "hearing_number"):
            found = metadata.find(f"{{{NS}}}{name}")
            if found is not None and found.text:
                return found.text
    return element.get("id") or element.get("uid") or ""
