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
* Order: reception days and screening reports first (cases name them: a
  case's ``reception``, the ``screening_source`` of a case made from a
  screened dispute), then the cases, then the records that name cases
  (hearings, meetings, accountability records); a parallel import takes
  the reception days and reports in before its workers start.  A reception
  day that comes after a case naming it (a later file of a directory) is
  found at the end of the run: the case's relation, kept broken until
  then, is mended.  A screening report for a unit and period that the
  archive already has a report of is refused (one report per unit and
  period), and nothing of it is written.
"""

from Acquisition import aq_base
from dataclasses import dataclass
from dataclasses import field
from DateTime import DateTime
from datetime import datetime
from datetime import UTC
from pathlib import Path
from persistent.list import PersistentList
from plone import api
from plone.dexterity.utils import createContent
from plone.namedfile.interfaces import INamedFile
from plone.uuid.interfaces import IMutableUUID
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.content.accountability import (
    COUNTERS_KEY as ACCOUNTABILITY_COUNTERS_KEY,
)
from xinfang_archive.content.accountability import (
    NUMBER_FORMAT as ACCOUNTABILITY_NUMBER_FORMAT,
)
from xinfang_archive.content.hearing import HEARING_COUNTERS_KEY
from xinfang_archive.content.hearing import HEARING_NUMBER_FORMAT
from xinfang_archive.content.registration import reserve_number
from xinfang_archive.exchange.fields import kind_of
from xinfang_archive.exchange.fields import local
from xinfang_archive.exchange.fields import NS
from xinfang_archive.exchange.fields import REFS
from xinfang_archive.exchange.reader import FileSource
from xinfang_archive.exchange.reader import read_record
from xinfang_archive.exchange.reader import RecordProblem
from xinfang_archive.exchange.reader import schema_fields
from xinfang_archive.exchange.records import EARLY
from xinfang_archive.exchange.records import LATE
from xinfang_archive.exchange.records import ORDER
from xinfang_archive.exchange.safexml import DEFAULT_MAX_BYTES
from xinfang_archive.exchange.safexml import load_schema
from xinfang_archive.exchange.safexml import parse
from xinfang_archive.exchange.safexml import XMLRefused
from xinfang_archive.exchange.versioning import automatic_versioning_paused
from xinfang_archive.i18n import record_text
from xinfang_archive.retry import ATTEMPTS
from xinfang_archive.retry import commit_retrying
from xinfang_archive.savepoints import all_or_nothing
from xinfang_archive.savepoints import forget_catalog_query_cache
from z3c.relationfield import RelationValue
from z3c.relationfield.interfaces import IRelationChoice
from zope.component import getUtility
from zope.i18nmessageid import Message
from zope.intid.interfaces import IIntIds
from zope.schema import getFieldsInOrder
from zope.schema import getValidationErrors

import logging
import re
import time
import transaction
import zlib


logger = logging.getLogger("xinfang_archive.exchange")
IMPORTED, SKIPPED, FAILED, CHECKED = "imported", "skipped", "failed", "checked"
EXCHANGE_SCHEMA = "exchange.xsd"
# Where each kind of top-level record is imported to.
CONTAINERS = {
    "case": "cases",
    "hearing": "hearings",
    "meeting": "meetings",
    "accountability": "accountability",
    "reception": "receptions",
    "screening": "screening",
    "warning": "warnings",
}
# libxml2's path of an error: "/*/*[3]/…" (the third child) for a default
# namespace, "/x:exchange/x:case[3]/…" (the third case) for a prefixed one
TOP_LEVEL = re.compile(r"^/[^/]+/(?P<step>[^/\[]+)(?:\[(?P<index>\d+)\])?(?:/|$)")
ROOT = f"{{{NS}}}exchange"
WORKER_ATTEMPTS = 200


@dataclass
class Outcome:
    """What became of one top-level record (case, hearing …) of the import."""

    source: str  # file:line
    kind: str  # case, hearing, meeting, accountability, reception, screening
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
    deferred: list = field(
        default_factory=list
    )  # [path, line] of cases a worker left to the end
    rewritten: int = 0  # batches written again after meeting another writer's commit

    def count(self, status, kind=None):
        return sum(
            1
            for o in self.outcomes
            if o.status == status and (kind is None or o.kind == kind)
        )

    @property
    def ok(self):
        return not self.refused_files and not self.count(FAILED)


def exchange_files(source):
    """The exchange files of ``source``: a file, a directory of XML files, or
    a BagIt package (its reception days and screening reports, then its
    ``data/cases/*/exchange.xml``, then its hearings, meetings and
    accountability records).
    Symbolic links are not followed: they could lead out of the import."""
    source = Path(source)
    if source.is_symlink():
        return []
    if source.is_file():
        return [source]
    if not source.is_dir():
        return []
    if is_package(source):
        data = source / "data"
        found = (
            sorted(data.glob("receptions/*/exchange.xml"))
            + sorted(data.glob("screening/*/exchange.xml"))
            + sorted(data.glob("cases/*/exchange.xml"))
            + sorted(data.glob("hearings/*/exchange.xml"))
            + sorted(data.glob("meetings/*/exchange.xml"))
            + sorted(data.glob("accountability/*/exchange.xml"))
            + sorted(data.glob("warnings/*/exchange.xml"))
        )
    else:  # the packages in it are sources of their own (see packages_in)
        found = sorted(
            path
            for path in source.rglob("*.xml")
            if path.is_file() and not _in_package(path, source)
        )
    return [path for path in found if not _linked(path, source)]


def is_package(path):
    return Path(path).is_dir() and (Path(path) / "bagit.txt").is_file()


def packages_in(source):
    """The archival packages inside the directory ``source`` (not one
    itself): each is imported as a package, verified first."""
    source = Path(source)
    if source.is_symlink() or not source.is_dir() or is_package(source):
        return []
    return sorted(
        tag.parent
        for tag in source.rglob("bagit.txt")
        if tag.is_file()
        and not _linked(tag, source)
        and not _in_package(tag.parent.parent, source)
    )


def _in_package(path, root):
    """Whether a directory between ``path`` and ``root`` is a package."""
    path = path.parent if path.is_file() else path
    while path != root and path != path.parent:
        if (path / "bagit.txt").is_file():
            return True
        path = path.parent
    return False


def _linked(path, root):
    """Whether ``path`` or a directory between it and ``root`` is a symbolic link."""
    while path != root and path != path.parent:
        if path.is_symlink():
            return True
        path = path.parent
    return False


def share_of(element, workers):
    """Which of ``workers`` parallel workers imports this case: by its
    registration number, so that two cases giving the same number meet in
    one worker, which skips or refuses the second as a single import does."""
    return zlib.crc32(identifier_of(element).encode("utf-8")) % workers


def where(path, element):
    """How a case is named between the import processes: file and line."""
    return [str(path), element.sourceline]


class Importer:
    """``share=(k, n)`` makes it the k-th of n parallel workers: it imports
    the cases ``share_of`` gives it, no hearing, and leaves a case that refers
    to a case not yet in the site to the end (``report.deferred``: another
    worker may be writing it).  ``only`` (a set of ``where`` tuples) makes it
    the end of a parallel import: those cases, then every hearing.
    ``early_only`` imports the reception days and screening reports alone
    (what a parallel import does before its workers start, so that their
    cases find them); a worker and the end of a parallel import leave them."""

    def __init__(
        self,
        site,
        dry_run=False,
        commit_every=50,
        max_bytes=DEFAULT_MAX_BYTES,
        progress=None,
        note="xinfang-archive import",
        share=None,
        only=None,
        early_only=False,
    ):
        self.site = site
        self.share = share
        self.only = only
        self.early_only = early_only
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
        self.pending_relations = {}  # (id of record data, field) → (record data, field name, [(uid, identifier)])
        self.uncommitted = 0
        self.waiting = []  # (path, element, schema errors) of cases referring to cases not yet in
        self.known = _Known(site, self.catalog)
        self.batch = []  # the _one() calls since the last commit, to do again after a conflict
        self.replaying = False
        self._start_batch()

    # --- the run -------------------------------------------------------------

    def run(self, sources):
        """Import ``sources`` (files, directories, packages).  Reception days
        and screening reports, then cases come first, file by file; the
        hearings (meetings, accountability records) of all files follow, since they
        name cases (their elements are kept until then, and with them the
        document they are in: put hearings in files of their own when a
        migration file is very large)."""
        return self.run_files(self.plan(sources))

    def plan(self, sources):
        """``[(exchange file, directory its references may point into)]`` of
        ``sources``; damaged packages are refused here."""
        sources = [Path(source) for source in sources]
        sources = [
            s
            for source in sources
            for s in (source, *packages_in(source))
            if self._package_ok(s)
        ]
        files = [
            (path, self._root(source))
            for source in sources
            for path in exchange_files(source)
        ]
        if not files and not self.report.refused_files:
            self.report.refused_files.extend(
                (str(s), record_text(_("No exchange XML found here."))) for s in sources
            )
        return files

    def _mine(self, path, element):
        if self.share is not None:
            return share_of(element, self.share[1]) == self.share[0]
        return self.only is None or tuple(where(path, element)) in self.only

    def run_files(self, files):
        from xinfang_archive.earlywarning.scheduling import paused

        with paused():  # the records bring their own archive's warnings
            return self._run_files(files)

    def _run_files(self, files):
        started = time.perf_counter()
        hearings = []
        # progress by case for one file or a worker (cases seen so far of
        # those planned so far), else by file
        by_case = len(files) == 1 or self.share is not None
        done = planned = 0
        with automatic_versioning_paused():
            for number, (path, base) in enumerate(files, start=1):
                root = self._load(path)
                if root is None:
                    continue
                invalid = self._schema_errors(root)
                if self.share is None and self.only is None:
                    # reception days and screening reports: before the cases that name them
                    for element in [
                        e for e in root if isinstance(e.tag, str) and local(e) in EARLY
                    ]:
                        self._one(path, base, element, invalid, may_wait=False)
                if self.early_only:
                    continue
                cases = [e for e in root if local(e) == "case" and self._mine(path, e)]
                planned += len(cases)
                if self.share is None:
                    # hearings, meetings and accountability records: after the cases they name
                    hearings.extend(
                        (path, base, e, invalid)
                        for e in root
                        if isinstance(e.tag, str) and local(e) in LATE
                    )
                for element in cases:
                    self._one(path, base, element, invalid)
                    done += 1
                    if by_case:
                        self._tick(done, planned)
                if not by_case:
                    self._tick(number, len(files))
            self._import_waiting()
            for path, base, element, invalid in hearings:
                # nothing comes after the hearings: they never wait (the cases
                # they name now must be in, see _check; one named by an older
                # version only is kept as a broken relation)
                self._one(path, base, element, invalid, may_wait=False)
            self._commit(final=True)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _root(self, source):
        """The directory files may be referenced from: the import's own."""
        return (source if source.is_dir() else source.parent).resolve()

    def _package_ok(self, source):
        """An archival package is imported only if it is intact: every file
        as its manifests say, and the package checksum, when it lies beside
        it, matching."""
        if not is_package(source):
            return True
        from xinfang_archive.exchange.verify import report_lines
        from xinfang_archive.exchange.verify import verify_package

        report = verify_package(source)
        damaged = (
            report.missing
            or report.changed
            or report.extra
            or report.structure
            or report.invalid_xml
        )
        if damaged or report.digest == "mismatch":
            self.report.refused_files.append(
                (
                    str(source),
                    record_text(
                        _("The package is not intact; nothing of it was imported.")
                    )
                    + " "
                    + "；".join(report_lines(report)[1:]),
                )
            )
            return False
        if report.digest == "absent":
            self.report.warnings.append(
                record_text(
                    _(
                        "${path}: no package checksum beside it; the package's own manifests were checked.",
                        mapping={"path": str(source)},
                    )
                )
            )
        return True

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
            if len(self.report.warnings) < 1000:
                self.report.warnings.append(
                    record_text(
                        _(
                            "${path}: not an exchange file (root element ${root}); left out.",
                            mapping={"path": str(path), "root": root.tag},
                        )
                    )
                )
            return None
        return root

    def _schema_errors(self, root):
        """``{top-level element: [messages]}`` of the XSD errors, by the case
        or hearing they fall in (from the error's path, not its line: a
        file may be on one line); errors outside any refuse the whole file."""
        schema = load_schema(EXCHANGE_SCHEMA)
        schema.validate(root.getroottree())
        children = [e for e in root if isinstance(e.tag, str)]
        invalid = {}
        for error in schema.error_log:
            match = TOP_LEVEL.match(error.path or "")
            owner = None
            if match:
                step = match.group("step")
                siblings = (
                    children
                    if step == "*"
                    else [e for e in children if local(e) == step.split(":")[-1]]
                )
                index = int(match.group("index") or 1) - 1
                if 0 <= index < len(siblings) and local(siblings[index]) in ORDER:
                    owner = siblings[index]
            invalid.setdefault(owner, []).append(
                f"XSD（第 {error.line} 行）：{error.message}"
            )
        return invalid

    def _one(self, path, base, element, invalid, may_wait=True):
        if not self.replaying:
            self.batch.append((path, base, element, invalid, may_wait))
        """Import one case or hearing.  A case that refers to cases not yet
        in the site waits (``self.waiting``) until the rest is in, so that
        its relations, in every version, point at them.  A dry run writes
        exactly as a real one, but never commits (the transaction is aborted
        at the end): what it reports is what a real run would do."""
        kind = local(element)
        outcome = Outcome(
            source=f"{path}:{element.sourceline}",
            kind=kind,
            identifier=identifier_of(element),
            status=FAILED,
        )
        problems = invalid.get(None, []) + invalid.get(element, [])
        if problems:
            outcome.messages = problems
            self.report.outcomes.append(outcome)
            return
        try:
            record = read_record(element, FileSource(Path(path).parent, base))
            existing = self._existing(record)
            if existing is not None:
                outcome.status, outcome.messages = SKIPPED, [existing]
            else:
                self._check(record)
                if may_wait and self._refers_ahead(record):
                    if self.share is not None:
                        self.report.deferred.append(where(path, element))
                    else:
                        self.waiting.append((path, base, element, invalid))
                    return
                counts = self.report.versions, self.report.files
                try:
                    with all_or_nothing():
                        self._write(
                            record,
                            origin={
                                "source": Path(path).name,
                                "producer": element.getparent().get("producer") or "",
                            },
                        )
                except BaseException:
                    self.report.versions, self.report.files = (
                        counts  # nothing of it was kept
                    )
                    raise
                self.known.add(record)
                outcome.status = CHECKED if self.dry_run else IMPORTED
        except RecordProblem as problem:
            outcome.messages = problem.messages
        except (
            Exception
        ) as error:  # anything else: this item is skipped, the others go on
            logger.exception("Import of %s failed", outcome.identifier)
            outcome.messages = [
                _(
                    "Could not be written: ${error}",
                    mapping={"error": f"{type(error).__name__}: {error}"},
                )
            ]
        self.report.outcomes.append(outcome)
        if outcome.status in (IMPORTED, CHECKED):
            self.uncommitted += 1
            if self.uncommitted >= self.commit_every and not self.replaying:
                self._commit()

    def _refers_ahead(self, record):
        for _path, item in record.walk():
            fields = schema_fields(item.kind.portal_type)
            values = [item.values] + [v.values for v in item.versions]
            for name, field_ in fields.items():
                if kind_of(field_) != REFS or IRelationChoice.providedBy(field_):
                    continue  # one relation (a case's reception day) never waits: it is mended at the end
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
            for path, base, element, invalid in waiting:
                self._one(path, base, element, invalid, may_wait=True)
            if (
                len(self.report.outcomes) == before
            ):  # nothing moved: write them as they are
                for path, base, element, invalid in self.waiting:
                    self._one(path, base, element, invalid, may_wait=False)
                self.waiting = []

    def _commit(self, final=False):
        """Commit the batch.  After a conflict with another writer (the site
        serving while the import runs) the batch is aborted and its items are
        written again on fresh state, so a batch is in whole or not at all.
        A parallel worker meets the other workers' commits all the time (the
        catalog's record table, whose young BTree has one root every bucket
        split rewrites), so it tries many more times."""
        if self.dry_run:
            self._resolve_pending_relations(final)
            # never committed; a savepoint moves the changes out of memory
            if final:
                transaction.abort()
                forget_catalog_query_cache()
            else:
                transaction.savepoint(optimistic=True)
        else:
            tries = []

            def write():
                if tries:
                    logger.info("import batch met a concurrent writer: written again")
                    self._replay()
                    self.report.rewritten += 1
                tries.append(True)
                self._resolve_pending_relations(final)

            commit_retrying(
                write,
                f"{self.note}: {self.uncommitted} items",
                attempts=ATTEMPTS if self.share is None else WORKER_ATTEMPTS,
            )
        self.uncommitted = 0
        self._start_batch()

    def _start_batch(self):
        self.batch = []
        self.at_batch_start = (
            len(self.report.outcomes),
            len(self.report.warnings),
            self.report.versions,
            self.report.files,
            dict(self.pending_relations),
            list(self.waiting),
            len(self.report.deferred),
        )

    def _replay(self):
        """The state at the start of the batch, then its items again (the
        site as committed now: the UIDs and numbers are read again)."""
        (
            outcomes,
            warnings,
            self.report.versions,
            self.report.files,
            pending,
            waiting,
            deferred,
        ) = self.at_batch_start
        del self.report.outcomes[outcomes:]
        del self.report.warnings[warnings:]
        del self.report.deferred[deferred:]
        self.pending_relations, self.waiting = dict(pending), list(waiting)
        self.known = _Known(self.site, self.catalog)
        self.uncommitted = 0
        self.replaying = True
        try:
            for call in self.batch:
                self._one(*call)
        finally:
            self.replaying = False

    # --- checks --------------------------------------------------------------

    def _brains(self, **query):
        return self.catalog.unrestrictedSearchResults(**query)

    def _existing(self, record):
        """Why ``record`` is skipped (already here), None to import it;
        raises ``RecordProblem`` when it clashes with another record."""
        if not self.known.may_hold(record):
            return None
        by_uid = list(self._brains(UID=record.uid)) if record.uid else []
        number_index = "registration_number" if record.kind.element == "case" else None
        by_number = []
        if number_index and record.values.get("registration_number"):
            by_number = list(
                self._brains(
                    portal_type=record.kind.portal_type,
                    registration_number=record.values["registration_number"],
                )
            )
        if record.kind.element == "hearing" and record.values.get("hearing_number"):
            uid = self.known.hearing_numbers.get(record.values["hearing_number"])
            by_number = list(self._brains(UID=uid)) if uid else []
        if by_uid:
            brain = by_uid[0]
            if (
                brain.portal_type != record.kind.portal_type
                or (by_number and record.uid != by_number[0].UID)
                or (
                    number_index
                    and record.values.get("registration_number")
                    and brain.registration_number
                    != record.values["registration_number"]
                )
            ):
                raise RecordProblem(
                    [
                        _(
                            "The UID ${uid} already belongs to another record (${path}).",
                            mapping={"uid": record.uid, "path": brain.getPath()},
                        )
                    ]
                )
            self._repair_relations(record, brain)
            return _("Already in the archive (same UID): skipped.")
        if by_number:
            if record.uid and record.uid != by_number[0].UID:
                raise RecordProblem(
                    [
                        _(
                            "The number ${number} already belongs to another record with another UID.",
                            mapping={"number": record.identifier},
                        )
                    ]
                )
            self._repair_relations(record, by_number[0])
            return _("Already in the archive (same number): skipped.")
        return None

    def _check(self, record):  # noqa: C901
        problems = []
        if record.kind.element == "case" and not record.values.get(
            "registration_number"
        ):
            problems.append(_("A case needs its registration number (登记编号)."))
        if record.kind.element == "hearing" and not record.values.get("hearing_number"):
            # what a rerun knows it by, as a case by its registration number
            problems.append(_("A hearing needs its number (听证编号)."))
        uids = [item.uid for _path, item in record.walk() if item.uid]
        twice = sorted({uid for uid in uids if uids.count(uid) > 1})
        if twice:
            problems.append(
                _(
                    "Given twice in this import: ${what}.",
                    mapping={"what": ", ".join(twice)},
                )
            )
        for path, item in record.walk():
            problems.extend(self._field_problems(item, path))
            if item.uid and item.uid in self.known.uids:
                problems.append(
                    _(
                        "The UID ${uid} already belongs to another record.",
                        mapping={"uid": item.uid},
                    )
                )
            problems.extend(self._workflow_problems(item))
        if record.kind.element == "meeting":
            for row in record.values.get("decisions") or ():
                number = (row or {}).get("case_number")
                if number and self._case_for(None, number) is None:
                    problems.append(
                        _(
                            "The meeting decides on a case that is not in the archive: ${case}.",
                            mapping={"case": number},
                        )
                    )
        if record.kind.element == "screening":
            problems.extend(self._screening_problems(record))
        if record.kind.element == "hearing":
            for uid, identifier in record.values.get("cases") or ():
                if self._case_for(uid, identifier) is None:
                    problems.append(
                        _(
                            "The hearing names a case that is not in the archive: ${case}.",
                            mapping={"case": identifier or uid},
                        )
                    )
        if record.archival:
            problems.extend(self._archival_problems(record))
        elif record.state in FILED_STATES:
            problems.append(
                _("A filed case comes with its archival data (档号, manifest).")
            )
        if problems:
            raise RecordProblem(problems)

    def _screening_problems(self, record):
        """One report per unit and period: another one already here is refused."""
        from xinfang_archive.content.screening import duplicate_message
        from xinfang_archive.reports.screening import find_report

        unit, period = record.values.get("unit"), record.values.get("period")
        folder = self.site.get(CONTAINERS["screening"])
        if not unit or not period or folder is None:
            return []
        other = find_report(folder, unit, period)
        if other is not None and IUUID(other, None) != record.uid:
            return [duplicate_message(unit, period)]
        return []

    def _workflow_problems(self, item):
        """The state is the last history entry's, and every state is one of
        the workflow's: an import cannot invent states or skip to filed."""
        if not item.workflow_id:
            return []
        wf = self.workflow.getWorkflowById(item.workflow_id)
        if wf is None or item.workflow_id not in self.workflow.getChainForPortalType(
            item.kind.portal_type
        ):
            return [
                _(
                    "Unknown workflow ${workflow} for ${what}.",
                    mapping={
                        "workflow": item.workflow_id,
                        "what": item.kind.portal_type,
                    },
                )
            ]
        unknown = sorted(
            {
                e["review_state"]
                for e in item.history
                if e["review_state"] not in wf.states
            }
        )
        if item.state not in wf.states:
            unknown = sorted(set(unknown) | {item.state})
        if unknown:
            return [
                _(
                    "Unknown workflow state ${state}.",
                    mapping={"state": ", ".join(unknown)},
                )
            ]
        if not item.history or item.history[-1]["review_state"] != item.state:
            return [
                _(
                    "The workflow history does not end in the state given (${state}).",
                    mapping={"state": item.state},
                )
            ]
        return []

    def _field_problems(self, item, path):
        fields = schema_fields(item.kind.portal_type)
        values = {
            name: _complete_rows(fields[name], value)
            for name, value in item.values.items()
            if kind_of(fields[name]) != REFS
        }
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
            return [
                _(
                    "The archival code ${code} is not well-formed.",
                    mapping={"code": code},
                )
            ]
        parsed = parse_code(code)
        state = group_state(parsed.group, self.site)
        holder = state.items.get(parsed.item) if state is not None else None
        if holder is not None and holder != record.uid:
            return [
                _(
                    "The archival code ${code} is already held by another record in this archive.",
                    mapping={"code": code},
                )
            ]
        if record.state not in FILED_STATES:
            return [
                _(
                    "Archival data belongs to filed cases only (state: ${state}).",
                    mapping={"state": record.state or "-"},
                )
            ]
        return _archival_consistency(record.archival, parsed)

    def _case_for(self, uid, identifier, receptions=False):
        """The case ``uid`` or ``identifier`` names (or, for a relation that
        may name one, the reception day), or None."""
        types = ("PetitionCase", "LeaderReception") if receptions else ("PetitionCase",)
        brains = self._brains(UID=uid, portal_type=types) if uid else []
        if not brains and identifier:
            brains = self._brains(
                portal_type="PetitionCase", registration_number=identifier
            )
        if not brains and identifier and receptions:
            brains = self._brains(portal_type="LeaderReception", getId=identifier)
        if brains:
            return brains[0]._unrestrictedGetObject()
        return None

    # --- writing -------------------------------------------------------------

    def _write(self, record, origin=None):
        container = self.site[CONTAINERS[record.kind.element]]
        obj = self._create(container, record)
        _screening_links(obj, record)
        if record.kind.element == "case":
            reserve_number(record.identifier)
        elif record.kind.element == "hearing":
            reserve_number(
                record.identifier, HEARING_NUMBER_FORMAT, HEARING_COUNTERS_KEY
            )
        elif record.values.get("record_number"):
            reserve_number(
                record.values["record_number"],
                ACCOUNTABILITY_NUMBER_FORMAT,
                ACCOUNTABILITY_COUNTERS_KEY,
            )
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

    def _values(self, item, values):
        """Values ready to set: relations resolved (unresolved ones wait
        for the end of the import)."""
        fields = schema_fields(item.kind.portal_type)
        ready = {}
        for name, value in values.items():
            if kind_of(fields[name]) == REFS and IRelationChoice.providedBy(
                fields[name]
            ):
                # one relation (a case's reception day): kept broken if not in the
                # archive, and mended at the end if it comes in later in the run
                relations, missing = self._relations(value or [])
                if missing and values is item.values:
                    self.pending_relations[(id(item), name)] = (item, name, list(value))
                value = relations[0] if relations else None
            elif kind_of(fields[name]) == REFS:
                relations, missing = self._relations(value)
                if (
                    missing and values is item.values
                ):  # resolved at the end, if they come in
                    self.pending_relations[(id(item), name)] = (item, name, list(value))
                value = relations
            ready[name] = value
        return ready

    def _relations(self, refs):
        """Relation values for ``refs``; a target not in the archive (yet)
        is kept as a broken relation that remembers its UID and number, so
        the record says what it said and its digest still holds."""
        relations, missing = [], []
        for uid, identifier in refs:
            target = self._case_for(uid, identifier, receptions=True)
            if (
                target is None and uid
            ):  # a screening report an accountability record names
                brains = self._brains(UID=uid)
                target = brains[0]._unrestrictedGetObject() if brains else None
            if target is None:
                relation = RelationValue(None)
                relation.broken(identifier or uid or "")
                relation.target_uid, relation.target_identifier = uid, identifier
                missing.append(identifier or uid)
            else:
                relation = RelationValue(self.intids.getId(target))
            relations.append(relation)
        return relations, missing

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
        obj._v_imported = (
            True  # a record registered elsewhere (content.reception_links)
        )
        new_id = self._id_for(container, item, obj)
        obj.id = new_id
        container._setObject(new_id, obj)
        obj = container._getOb(new_id)
        item.uid = IUUID(obj)  # a record from a system without UIDs has one now
        for version in item.versions:
            self._set(obj, item, version.values)
            obj.modification_date = DateTime(version.time)
            self.repository._recursiveSave(
                obj,
                {},
                {
                    "comment": version.comment,
                    "timestamp": version.time.timestamp(),
                    "originator": None,
                    "principal": version.principal or "",
                },
                autoapply=self.repository.autoapply,
            )
            self.report.versions += 1
        if item.versions:
            self._set(obj, item, item.values)
        elif self.repository.isVersionable(obj) and self.repository.supportsPolicy(
            obj, "at_edit_autoversion"
        ):
            # As Plone does for anything added: a first version, here as imported.
            when = item.modified or item.created
            self.repository._recursiveSave(
                obj,
                {},
                {
                    "comment": record_text(_("Imported")),
                    "originator": None,
                    "timestamp": when.timestamp() if when else time.time(),
                    "principal": (item.creators or (api.user.get_current().getId(),))[
                        0
                    ],
                },
                autoapply=self.repository.autoapply,
            )
            self.report.versions += 1
        self.report.files += sum(
            1 for v in item.values.values() if INamedFile.providedBy(v)
        )
        for child in item.children:
            self._create(obj, child)
        return obj

    def _id_for(self, container, item, obj):
        """The record's own id where it is a safe, free name here (Plone's
        name checks: no clash, no view or acquired name); a hearing is named
        after its number, as in the site.  Otherwise a name is chosen."""
        from zope.container.interfaces import INameChooser

        chooser = INameChooser(container)
        wanted = item.id
        if item.kind.element == "hearing" and item.values.get("hearing_number"):
            wanted = item.values["hearing_number"].lower()
        if item.kind.element == "accountability" and item.values.get("record_number"):
            wanted = item.values["record_number"].lower()
        if wanted and wanted not in container and chooser.checkName(wanted, obj):
            return wanted
        return chooser.chooseName(item.identifier or item.kind.element, obj)

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
        from z3c.relationfield.event import updateRelations

        updateRelations(obj, None)

    def _archival(self, case, record):
        from xinfang_archive.archival.codes import parse as parse_code
        from xinfang_archive.archival.freeze import freeze
        from xinfang_archive.archival.numbering import reserve_item

        data = dict(record.archival)
        for name in (
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
        ):
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

    def _publish_notices(self, hearing, record):
        """Published minutes are public through their notice: write it again."""
        from xinfang_archive.hearings.publication import write_notice
        from xinfang_archive.hearings.rules import publish_problems

        for transcript in hearing.objectValues():
            if api.content.get_state(transcript, default=None) == "published":
                problems = publish_problems(transcript)
                if problems:
                    raise RecordProblem(
                        [
                            _(
                                "Published minutes that may not be published: ${reasons}",
                                mapping={
                                    "reasons": "；".join(
                                        record_text(p) for p in problems
                                    )
                                },
                            )
                        ]
                    )
                write_notice(transcript)

    def _resolve_pending_relations(self, final=False):
        """Point the relations that were written broken at their targets
        where these are in now.  Before the last commit only the complete
        ones are set: a target may still come later in the run."""
        from z3c.relationfield.event import updateRelations

        still = {}
        for key, (item, name, refs) in self.pending_relations.items():
            brains = self._brains(UID=item.uid) if item.uid else []
            if not brains:
                continue  # rolled back
            relations, missing = self._relations(refs)
            if missing and not final:
                still[key] = (item, name, refs)
                continue
            obj = brains[0]._unrestrictedGetObject()
            single = not isinstance(
                getattr(aq_base(obj), name, None), (list, tuple)
            )  # a RelationChoice
            current = _as_list(getattr(aq_base(obj), name, None))
            if [r.to_id for r in relations] != [
                getattr(r, "to_id", None) for r in current
            ]:
                setattr(
                    aq_base(obj),
                    name,
                    (relations[0] if relations else None) if single else relations,
                )
                updateRelations(obj, None)
            if missing:
                self.report.warnings.append(
                    record_text(
                        _(
                            "${what}: related records not in the archive: ${missing}.",
                            mapping={
                                "what": getattr(
                                    obj, "registration_number", obj.getId()
                                ),
                                "missing": ", ".join(missing),
                            },
                        )
                    )
                )
        self.pending_relations = still

    def _repair_relations(self, record, brain):
        """A record already here (an earlier run, perhaps killed before its
        targets came in) whose relations are still broken gets them set
        when its targets are in by the end of this run."""
        top = None
        for path, item in record.walk():
            fields = schema_fields(item.kind.portal_type)
            related = {
                name: refs
                for name, refs in item.values.items()
                if refs and kind_of(fields[name]) == REFS
            }
            if not related:
                continue
            if path:
                found = self._brains(UID=item.uid) if item.uid else []
                obj = found[0]._unrestrictedGetObject() if found else None
            else:
                obj = top = top or brain._unrestrictedGetObject()
            if obj is None:
                continue
            item.uid = IUUID(obj)
            for name, refs in related.items():
                current = _as_list(getattr(aq_base(obj), name, None))
                if any(
                    getattr(relation, "to_id", None) is None for relation in current
                ):
                    self.pending_relations[(id(item), name)] = (item, name, list(refs))


def _screening_links(obj, record):
    """A screened dispute made a case, as the record says: the case's
    source (report UID, key) or the report's {dispute key: case UID}.
    Both sides name the other by UID, so either may come in first."""
    from persistent.mapping import PersistentMapping
    from xinfang_archive.content.dispute_link import LINKS_ATTRIBUTE
    from xinfang_archive.content.dispute_link import SOURCE_ATTRIBUTE

    if record.screening_source:
        setattr(obj, SOURCE_ATTRIBUTE, tuple(record.screening_source))
    if record.dispute_cases:
        setattr(obj, LINKS_ATTRIBUTE, PersistentMapping(record.dispute_cases))


def _archival_consistency(archival, parsed):
    """The parts of the archival data agree with the 档号 and with each
    other: a record cannot arrive permanent in its code but due for
    destruction by its expiry date.  (The 档号 keeps the period it was
    filed with; an extension recorded in the retention history changes the
    period in force and its expiry.)"""
    from xinfang_archive.archival.retention import expiry
    from xinfang_archive.vocabularies.fixed import PERIODS

    group = parsed.group
    history = archival.get("retention_history") or []
    in_force = history[-1].get("after") if history else group.period
    expected = {
        "fonds_code": group.fonds,
        "filing_year": group.year,
        "retention_period": in_force,
        "organisation_code": group.organisation,
        "item_number": parsed.item,
    }
    wrong = [name for name, value in expected.items() if archival.get(name) != value]
    if history and history[0].get("before") != group.period:
        wrong.append("retention_history")
    if in_force not in PERIODS:
        wrong.append("retention_period")
    elif archival.get("retention_expires") != expiry(group.year, in_force):
        wrong.append("retention_expires")
    if wrong:
        return [
            _(
                "The archival data do not agree with the archival code ${code}: ${fields}.",
                mapping={"code": str(parsed), "fields": ", ".join(sorted(set(wrong)))},
            )
        ]
    return []


class _Known:
    """The UIDs and numbers in the site, read from the catalog once and then
    kept up to date by the import.  Asking the catalog for each case would
    make it index everything written so far first, case by case; this way
    the catalog is asked only about a record that may already be there."""

    def __init__(self, site, catalog):
        self.uids = set(catalog._catalog.getIndex("UID").uniqueValues())
        self.numbers = set(catalog.uniqueValuesFor("registration_number"))
        hearings = site.get("hearings")
        self.hearing_numbers = {
            hearing.hearing_number: IUUID(hearing)
            for hearing in (hearings.objectValues() if hearings is not None else ())
            if getattr(hearing, "hearing_number", None)
        }

    def may_hold(self, record):
        uids = {item.uid for _path, item in record.walk() if item.uid}
        if uids & self.uids:
            return True
        if record.kind.element == "case":
            return record.values.get("registration_number") in self.numbers
        if record.kind.element == "hearing":
            return record.values.get("hearing_number") in self.hearing_numbers
        return False  # an accountability record: known by its UID

    def add(self, record):
        self.uids.update(item.uid for _path, item in record.walk() if item.uid)
        if record.kind.element == "case":
            self.numbers.add(record.values.get("registration_number"))
        elif record.kind.element == "hearing":
            self.hearing_numbers[record.values.get("hearing_number")] = record.uid


def manifest_problems(case):
    """Whether the imported records are what was filed: every metadata
    digest and file checksum of the case's manifest, recomputed, and no
    record or file that the manifest does not list (DA/T 70 authenticity
    and integrity on ingest; filing lists every record and file)."""
    from xinfang_archive.archival.manifest import files_of
    from xinfang_archive.archival.manifest import METADATA
    from xinfang_archive.archival.manifest import metadata_digest
    from xinfang_archive.archival.manifest import records_of
    from xinfang_archive.archival.manifest import sha256_stream

    problems = []
    listed = {(entry.get("uid"), entry["field"]) for entry in case.archival_manifest}
    for path, obj in records_of(case):
        uid = IUUID(obj, None)
        if (uid, METADATA) not in listed:
            problems.append(
                _(
                    "The record ${path} is not in the filing manifest.",
                    mapping={"path": path or case.getId()},
                )
            )
            continue
        for name, value in files_of(obj):
            if (uid, name) not in listed:
                problems.append(
                    _(
                        "The file ${filename} of ${path} is not in the filing manifest.",
                        mapping={
                            "filename": value.filename or name,
                            "path": path or case.getId(),
                        },
                    )
                )
    for entry in case.archival_manifest:
        path = entry.get("path") or ""
        obj = case.unrestrictedTraverse(path, None) if path else case
        if obj is None or IUUID(obj, None) != entry.get("uid"):
            problems.append(
                _(
                    "The filed record ${path} is missing from the import.",
                    mapping={"path": path or case.getId()},
                )
            )
            continue
        if entry["field"] == METADATA:
            if metadata_digest(obj) != entry["sha256"]:
                problems.append(
                    _(
                        "The metadata of ${path} differ from what was filed (digest mismatch).",
                        mapping={"path": path or case.getId()},
                    )
                )
            continue
        value = getattr(aq_base(obj), entry["field"], None)
        if value is None:
            problems.append(
                _(
                    "The filed file ${filename} of ${path} is missing from the import.",
                    mapping={"filename": entry.get("filename"), "path": path},
                )
            )
            continue
        with value.open() as stream:
            sha, _size = sha256_stream(stream)
        if sha != entry["sha256"]:
            problems.append(
                _(
                    "The file ${filename} of ${path} differs from what was filed (checksum mismatch).",
                    mapping={"filename": entry.get("filename"), "path": path},
                )
            )
    return problems


def _complete_rows(field, value):
    """Rows with every sub-field, for validation only: a row that lacks a
    key is stored as given (that is how it was filed), but validated as the
    form would have seen it."""
    from xinfang_archive.exchange.fields import ROWS

    if kind_of(field) != ROWS or not value:
        return value
    row_fields = getFieldsInOrder(field.value_type.schema)
    return [
        dict({name: sub.default for name, sub in row_fields}, **row) for row in value
    ]


def _schema(portal_type):
    from plone.dexterity.interfaces import IDexterityFTI

    return getUtility(IDexterityFTI, name=portal_type).lookupSchema()


class _Probe:
    """Stands for the record while its values are validated: fields read
    their values from here, vocabularies see the site as context."""

    def __init__(self, site, fields, values):
        self.__dict__.update(dict.fromkeys(fields))
        self.__dict__.update(values)
        self._site = site


def _error_text(error):
    """A validation error as the Chinese text an operator can act on."""
    from zope.interface import Invalid
    from zope.schema import ValidationError
    from zope.schema._bootstrapinterfaces import OutOfBounds
    from zope.schema._bootstrapinterfaces import TooLong
    from zope.schema._bootstrapinterfaces import TooShort
    from zope.schema.interfaces import ConstraintNotSatisfied
    from zope.schema.interfaces import RequiredMissing
    from zope.schema.interfaces import WrongContainedType
    from zope.schema.interfaces import WrongType

    if isinstance(error, RequiredMissing):
        return record_text(_("required, but missing"))
    if isinstance(error, WrongContainedType):
        inner = error.errors or []
        return "；".join(_error_text(e) for e in inner) or record_text(
            _("an item is not valid")
        )
    if (
        isinstance(error, ConstraintNotSatisfied)
        and type(error) is ConstraintNotSatisfied
    ):
        return record_text(
            _("${value} is not an allowed value", mapping={"value": error.value})
        )
    if isinstance(error, (OutOfBounds, TooLong, TooShort)):
        return record_text(
            _("${value} is out of the allowed range", mapping={"value": error.value})
        )
    if isinstance(error, WrongType):
        return record_text(
            _("${value} is of the wrong type", mapping={"value": error.value})
        )
    if (
        isinstance(error, ValidationError)
        and type(error).__doc__
        and type(error).__module__.startswith("xinfang_archive")
    ):
        return record_text(error.doc())
    if isinstance(error, Invalid) and error.args and not isinstance(error.args[0], str):
        return record_text(error.args[0])
    return str(error.args[0]) if error.args else type(error).__name__


def _as_list(value):
    """The relations of a field, whether a list (RelationList) or one (RelationChoice)."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def identifier_of(element):
    metadata = element.find(f"{{{NS}}}metadata")
    if metadata is not None:
        for name in ("registration_number", "hearing_number", "record_number"):
            found = metadata.find(f"{{{NS}}}{name}")
            if found is not None and found.text:
                return found.text
    return element.get("id") or element.get("uid") or ""
