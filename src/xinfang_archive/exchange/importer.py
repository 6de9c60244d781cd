"""Bulk import of exchange XML: checked first, then each case (or hearing)
written all or nothing, committed in batches.

* Every file is parsed with the hardened parser (no DTD, no entities, no
  network, size limit) and validated against ``exchange.xsd``; schema errors
  are reported against the case they fall in, and only that case is skipped
  (``sources``, ``schema_errors``).
* A case is checked before anything is written: field values against the
  content schemas and vocabularies, files against their size and SHA-256,
  its UID, registration number and 档号 against the site
  (``record_checks``).
* A case that is already in the site (same UID or registration number) is
  skipped, so an import that was killed can simply be run again: cases are
  committed whole, in batches, and the ones committed before the kill are
  found and skipped (``duplicates``, ``batches``).
* Versions are replayed with their own times, authors and comments; the
  workflow state and history, creation dates and the archival data (档号,
  manifest, amendments) are restored as they were, and filed cases are
  frozen again (``creation``).
* Order: reception days and screening reports first (cases name them: a
  case's ``reception``, the ``screening_source`` of a case made from a
  screened dispute), then the cases, then the records that name cases
  (hearings, meetings, accountability records); a parallel import takes
  the reception days and reports in before its workers start.  A reception
  day that comes after a case naming it (a later file of a directory) is
  found at the end of the run: the case's relation, kept broken until
  then, is mended (``relations``).  A screening report for a unit and
  period that the archive already has a report of is refused (one report
  per unit and period), and nothing of it is written.

This module runs an import: what comes in which order, and what became of
each record.
"""

from pathlib import Path
from plone import api
from xinfang_archive import _
from xinfang_archive.earlywarning.scheduling import paused
from xinfang_archive.exchange.batches import Batches
from xinfang_archive.exchange.batches import WORKER_ATTEMPTS
from xinfang_archive.exchange.creation import RecordCreator
from xinfang_archive.exchange.duplicates import existing
from xinfang_archive.exchange.duplicates import Known
from xinfang_archive.exchange.fields import local
from xinfang_archive.exchange.import_report import CHECKED
from xinfang_archive.exchange.import_report import FAILED
from xinfang_archive.exchange.import_report import IMPORTED
from xinfang_archive.exchange.import_report import ImportReport
from xinfang_archive.exchange.import_report import Outcome
from xinfang_archive.exchange.import_report import SKIPPED
from xinfang_archive.exchange.parallel import share_of
from xinfang_archive.exchange.parallel import where
from xinfang_archive.exchange.reader import FileSource
from xinfang_archive.exchange.reader import identifier_of
from xinfang_archive.exchange.reader import read_record
from xinfang_archive.exchange.reader import RecordProblem
from xinfang_archive.exchange.record_checks import RecordChecks
from xinfang_archive.exchange.records import EARLY
from xinfang_archive.exchange.records import LATE
from xinfang_archive.exchange.relations import refers_ahead
from xinfang_archive.exchange.relations import Relations
from xinfang_archive.exchange.safexml import DEFAULT_MAX_BYTES
from xinfang_archive.exchange.schema_errors import schema_errors
from xinfang_archive.exchange.sources import load
from xinfang_archive.exchange.sources import plan
from xinfang_archive.exchange.versioning import automatic_versioning_paused
from xinfang_archive.retry import ATTEMPTS

import logging
import time


logger = logging.getLogger("xinfang_archive.exchange")


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
        self.relations = Relations(self.catalog)
        self.checks = RecordChecks(site, self.catalog)
        self.creator = RecordCreator(site, self.relations, self.report, note)
        self.waiting = []  # (path, base, element, schema errors) of cases referring to cases not yet in
        self.known = Known(site, self.catalog)
        self.batches = Batches(
            self.report,
            commit_every=commit_every,
            dry_run=dry_run,
            note=note,
            attempts=ATTEMPTS if share is None else WORKER_ATTEMPTS,
            snapshot=self._snapshot,
            restore=self._restore,
            redo=lambda call: self._one(*call),
            settle=lambda final: self.relations.resolve(self.report.warnings, final),
        )

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
        return plan(sources, self.report)

    def run_files(self, files):
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
                root = load(path, self.max_bytes, self.report)
                if root is None:
                    continue
                invalid = schema_errors(root)
                self._early(path, base, root, invalid)
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
                # they name now must be in, see record_checks; one named by an
                # older version only is kept as a broken relation)
                self._one(path, base, element, invalid, may_wait=False)
            self.batches.commit(final=True)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _early(self, path, base, root, invalid):
        """Reception days and screening reports: before the cases that name
        them (a worker and the end of a parallel import leave them)."""
        if self.share is not None or self.only is not None:
            return
        for element in [
            e for e in root if isinstance(e.tag, str) and local(e) in EARLY
        ]:
            self._one(path, base, element, invalid, may_wait=False)

    def _mine(self, path, element):
        if self.share is not None:
            return share_of(element, self.share[1]) == self.share[0]
        return self.only is None or tuple(where(path, element)) in self.only

    def _tick(self, done, total):
        if self.progress:
            self.progress(done, total)

    def _one(self, path, base, element, invalid, may_wait=True):
        """Import one case or hearing.  A case that refers to cases not yet
        in the site waits (``self.waiting``) until the rest is in, so that
        its relations, in every version, point at them.  A dry run writes
        exactly as a real one, but never commits (the transaction is aborted
        at the end): what it reports is what a real run would do."""
        self.batches.add((path, base, element, invalid, may_wait))
        outcome = Outcome(
            source=f"{path}:{element.sourceline}",
            kind=local(element),
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
            skipped, here = existing(record, self.known, self.catalog)
            if here is not None:
                self.relations.repair(record, here)
                outcome.status, outcome.messages = SKIPPED, [skipped]
            else:
                self.checks.check(record, self.known)
                if may_wait and refers_ahead(self.catalog, record):
                    self._wait(path, base, element, invalid)
                    return
                self.creator.write(
                    record,
                    origin={
                        "source": Path(path).name,
                        "producer": element.getparent().get("producer") or "",
                    },
                )
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
            self.batches.written()

    def _wait(self, path, base, element, invalid):
        """A case naming cases not yet in: a worker leaves it to the end of
        the parallel import, a single import takes it up again at its end."""
        if self.share is not None:
            self.report.deferred.append(where(path, element))
        else:
            self.waiting.append((path, base, element, invalid))

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

    # --- a batch written again after a conflict (see batches) ----------------

    def _snapshot(self):
        return (
            len(self.report.outcomes),
            len(self.report.warnings),
            self.report.versions,
            self.report.files,
            dict(self.relations.pending),
            list(self.waiting),
            len(self.report.deferred),
        )

    def _restore(self, state):
        (
            outcomes,
            warnings,
            self.report.versions,
            self.report.files,
            pending,
            waiting,
            deferred,
        ) = state
        del self.report.outcomes[outcomes:]
        del self.report.warnings[warnings:]
        del self.report.deferred[deferred:]
        self.relations.pending, self.waiting = dict(pending), list(waiting)
        self.known = Known(self.site, self.catalog)  # the site as committed now
