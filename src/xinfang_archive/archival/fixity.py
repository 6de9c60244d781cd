"""Fixity (完整性检测) of the filed records in storage.

The register of what must be there is the numbering groups (every item
number ever given, with the UID of its record), not the catalog: a record
that vanished from the database, or from the catalog, is still expected.
Each filed case's manifest lists its files (SHA-256) and the digests of its
records' metadata.  Every entry is reported as one of:

* ``intact``: present, same checksum;
* ``changed``: present, different checksum (a file's bytes, or a record's
  metadata changed outside an amendment);
* ``missing``: the record, its file field or the blob file on disk is gone.

Each run is kept as an event (date, result per entry) in the site; the
last runs keep every entry, older ones their counts and problems.
"""

from BTrees.OOBTree import OOBTree
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import UTC
from persistent import Persistent
from xinfang_archive.archival.interfaces import ITombstone
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.manifest import sha256_stream
from xinfang_archive.archival.numbering import all_groups
from xinfang_archive.audit.recorder import record
from ZODB.POSException import POSKeyError
from zope.annotation.interfaces import IAnnotations


INTACT, CHANGED, MISSING = "intact", "changed", "missing"
ANNOTATION_KEY = "xinfang_archive.fixity_runs"
KEEP_FULL_RUNS = 20


@dataclass(frozen=True)
class EntryResult:
    archival_code: str
    path: str  # the record, relative to the site
    field: str  # a file field, or "metadata"
    filename: str
    status: str
    detail: str = ""

    def as_tuple(self):
        return (
            self.archival_code,
            self.path,
            self.field,
            self.filename,
            self.status,
            self.detail,
        )


@dataclass
class RunResult:
    started: datetime
    finished: datetime | None = None
    results: list = field(default_factory=list)
    files_checked: int = 0
    bytes_read: int = 0

    def count(self, status):
        return sum(1 for r in self.results if r.status == status)

    def problems(self):
        return [r for r in self.results if r.status != INTACT]

    @property
    def ok(self):
        return not self.problems()


class FixityRunRecord(Persistent):
    """One recorded run: its counts, its problems and (while recent) every result."""

    def __init__(self, run):
        self.started = run.started
        self.finished = run.finished
        self.counts = {
            status: run.count(status) for status in (INTACT, CHANGED, MISSING)
        }
        self.files_checked = run.files_checked
        self.bytes_read = run.bytes_read
        self.problems = tuple(r.as_tuple() for r in run.problems())
        self.results = tuple(r.as_tuple() for r in run.results)

    @property
    def ok(self):
        return not self.problems


def _relative(obj, site_path):
    path = "/".join(obj.getPhysicalPath())
    return path[len(site_path) + 1 :] if path.startswith(site_path + "/") else path


def _check_file(obj, entry, run):
    """``(status, detail)`` of one manifest file entry of ``obj``."""
    value = getattr(obj, entry["field"], None)
    if value is None:
        return MISSING, "the record has no file any more"
    try:
        with value.open() as stream:
            digest, size = sha256_stream(stream)
    except (POSKeyError, FileNotFoundError) as error:
        return MISSING, f"blob file not found ({type(error).__name__})"
    run.files_checked += 1
    run.bytes_read += size
    if digest != entry["sha256"]:
        return CHANGED, f"sha256 {digest} instead of {entry['sha256']}"
    return INTACT, ""


def check_case(case, code, site_path, run):
    for entry in case.archival_manifest:
        obj = case.unrestrictedTraverse(entry["path"], None) if entry["path"] else case
        where = (
            _relative(obj, site_path)
            if obj is not None
            else f"{_relative(case, site_path)}/{entry['path']}"
        )
        filename = entry.get("filename", "")
        if obj is None:
            status, detail = MISSING, "the record is gone"
        elif entry["field"] == METADATA:
            status, detail = (
                (INTACT, "")
                if metadata_digest(obj) == entry["sha256"]
                else (CHANGED, "metadata changed outside an amendment")
            )
        else:
            status, detail = _check_file(obj, entry, run)
        run.results.append(
            EntryResult(code, where, entry["field"], filename, status, detail)
        )


def _object_for(uid):
    """The object of ``uid``, or None (also when the catalog knows an object
    the database lost)."""
    from plone import api

    for brain in api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        UID=uid
    ):
        try:
            return brain._unrestrictedGetObject()
        except (KeyError, AttributeError, POSKeyError):
            return None
    return None


def run_fixity(site, progress=None):
    """Check every filed record of ``site``; returns a ``RunResult``."""

    run = RunResult(started=datetime.now(UTC))
    site_path = "/".join(site.getPhysicalPath())
    for key, group in sorted(all_groups(site).items()):
        for number, uid in group.items.items():
            code = f"{key}-{number:04d}"
            case = _object_for(uid)
            if case is not None and ITombstone.providedBy(case):
                continue  # destroyed by an approved appraisal: nothing to keep
            if case is None or not getattr(case, "archival_manifest", None):
                run.results.append(
                    EntryResult(code, uid, "", "", MISSING, "the filed case is gone")
                )
            else:
                check_case(case, code, site_path, run)
            if progress is not None:
                progress(run)
    run.finished = datetime.now(UTC)
    return run


def _runs(site, create=False):
    annotations = IAnnotations(site)
    runs = annotations.get(ANNOTATION_KEY)
    if runs is None and create:
        runs = annotations[ANNOTATION_KEY] = OOBTree()
    return runs


def record_run(site, run):
    """Keep ``run`` as an event in the site and in the audit trail."""
    runs = _runs(site, create=True)
    entry = FixityRunRecord(run)
    runs[run.started.isoformat()] = entry
    for old_key in list(runs.keys())[:-KEEP_FULL_RUNS]:
        if runs[old_key].results:
            runs[old_key].results = ()
    record(
        "fixity",
        site,
        title="fixity",
        details={
            "intact": entry.counts[INTACT],
            "changed": entry.counts[CHANGED],
            "missing": entry.counts[MISSING],
            "problems": [list(p) for p in entry.problems[:200]],
        },
    )
    return entry


def recorded_runs(site):
    """Recorded runs, newest first."""
    runs = _runs(site)
    return list(reversed(list(runs.values()))) if runs is not None else []


def last_run(site):
    runs = _runs(site)
    if not runs:
        return None
    return runs[runs.maxKey()]
