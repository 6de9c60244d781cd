"""Archival packages (档案信息包): BagIt bags of cases, validated on creation.

Layout of a package ``<name>/``::

    bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    data/cases/<case>/exchange.xml        the case in the exchange format (re-importable)
    data/cases/<case>/files/<sha256>.<ext> its files, each once, named by checksum
    data/cases/<case>/metadata/<n>.xml     DA/T 46 metadata, one per record
    data/cases/<case>/envelopes/<n>.xml    DA/T 48-style envelope, one per record
    data/hearings/<hearing>/…              hearings of those cases and their transcripts
    data/meetings/<meeting>/…              coordination meetings that decided on those cases
    data/accountability/<record>/…         decided accountability records naming only those cases
    data/receptions/<reception>/…          leaders' reception days at which those cases were received
    data/screening/<report>/…              screening reports whose disputes became those cases,
                                           that the accountability records in the package name,
                                           or packed on their own (filed reports transferred)
    data/warnings/<warning>/…              early warnings about those records only, or packed
                                           on their own (filed warnings transferred)
    data/events.xml                        PREMIS-style events (filing, fixity, amendments, transfers …)

and beside it ``<name>.sha256``: the checksum of the whole package (the
SHA-256 of the tag manifest, which covers the payload manifest, which
covers every file).  The package is written under ``<name>.partial`` and
renamed only once it validated, so a package that exists is complete.

Each record goes whole.  A hearing, a meeting or an accountability record
that is also about cases outside the package stays out: its substance is
those cases.  A reception day and a screening report go with the package
whenever one of its cases is in it, even if others are not: each is one
record of its own (the day a leader received petitioners; a unit's report
for a period), the cases name it, and an archivist receiving the cases
expects to find what they name, not a reference to nothing.  A day
receives many cases and a report lists many disputes, which are filed and
transferred in different years: leaving such a record out whenever one of
them is elsewhere would leave it out of nearly every package.  So the
whole day (its minutes, every instruction and follow-up) and the whole
report (every dispute, its links to cases by UID) travel; a later package
carries them again, and the receiving archive skips them as already held.
They carry personal data, as the cases do: the package is for archives.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import UTC
from pathlib import Path
from plone import api
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.accountability.filing import records_of
from xinfang_archive.archival.fixity import recorded_runs
from xinfang_archive.archival.manifest import files_of
from xinfang_archive.archival.manifest import sha256_stream
from xinfang_archive.archival.records import RECORD_TYPES
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.content.dispute_link import case_links
from xinfang_archive.content.dispute_link import source_of
from xinfang_archive.content.reception_links import received_cases
from xinfang_archive.content.reception_links import reception_of
from xinfang_archive.exchange import dat46
from xinfang_archive.exchange import envelope as envelopes
from xinfang_archive.exchange import events as premis
from xinfang_archive.exchange.describe import case_events
from xinfang_archive.exchange.describe import describe_accountability
from xinfang_archive.exchange.describe import describe_case
from xinfang_archive.exchange.describe import describe_hearing
from xinfang_archive.exchange.describe import describe_record
from xinfang_archive.exchange.describe import file_info
from xinfang_archive.exchange.fields import FileWriter
from xinfang_archive.exchange.model import Event
from xinfang_archive.exchange.verify import verify_package
from xinfang_archive.exchange.verify import write_package_digest
from xinfang_archive.exchange.writer import exchange_bytes
from xinfang_archive.exchange.writer import PRODUCER
from xinfang_archive.hearings.clock import linked_hearings
from xinfang_archive.i18n import record_text
from xinfang_archive.meetings.decisions import FINALIZED
from xinfang_archive.meetings.decisions import find_case
from xinfang_archive.meetings.decisions import meetings_of_case

import bagit
import mimetypes
import shutil
import time


# Records filed on their own (archival/records.py), packed beside the cases.
ALONE_TYPES = tuple(RECORD_TYPES)
EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class PackageError(Exception):
    """The package could not be made; ``message`` (translatable) says why."""

    def __init__(self, message, report=None):
        super().__init__(record_text(message))
        self.message = message
        self.report = report


@dataclass
class PackageResult:
    path: Path
    digest: str
    cases: int = 0
    hearings: int = 0
    accountability: int = 0
    records: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    codes: list = field(default_factory=list)
    hearings_left_out: list = field(
        default_factory=list
    )  # heard cases outside the package too
    meetings: int = 0
    meetings_left_out: list = field(
        default_factory=list
    )  # decided on cases outside the package too
    receptions: int = 0
    screening: int = 0
    warnings: int = 0
    # ids of reception days and screening reports in the package that also name cases outside it
    shared: list = field(default_factory=list)


class _PayloadFiles(FileWriter):
    """Writes each file once into ``files/`` of the record's folder and
    remembers its ``FileInfo`` for the metadata and the envelope."""

    def __init__(self, folder, root):
        self.folder, self.root = folder, root
        self.current = None  # (uid, field name) of the record being written
        self.by_uid = {}
        self.written = {}
        self.bytes = 0

    def place(self, named_file, sha256):
        ext = EXTENSIONS.get(named_file.contentType) or (
            Path(named_file.filename or "").suffix.lower()[:10]
            or mimetypes.guess_extension(named_file.contentType or "")
            or ".bin"
        )
        relative = f"files/{sha256}{ext}"
        target = self.folder / relative
        if relative not in self.written:
            target.parent.mkdir(parents=True, exist_ok=True)
            with named_file.open() as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
            self.written[relative] = target.stat().st_size
            self.bytes += self.written[relative]
        return relative

    def describe(self, obj, manifest_entries):
        """The ``FileInfo``s of ``obj``'s current files (written if not yet)."""

        infos = []
        for name, value in files_of(obj):
            with value.open() as stream:
                sha, size = sha256_stream(stream)
            relative = self.place(value, sha)
            href = str((self.folder / relative).relative_to(self.root))
            entry = manifest_entries.get((IUUID(obj), name))
            infos.append(file_info(name, value, sha, size, f"data/{href}", entry))
        return infos


def _record_name(info):
    """The file name of a record's metadata and envelope: its path in the
    case, or ``_case`` / ``_hearing`` (no content id starts with "_")."""
    return info.path.replace("/", "__") if info.path else f"_{info.kind}"


def _write_records(folder, infos, generated, producer):
    for info in infos:
        metadata = dat46.record_metadata(
            info,
            aggregation="件" if not info.parent_uid else "文件",
            generated=generated,
        )
        name = _record_name(info)
        (folder / "metadata").mkdir(exist_ok=True)
        (folder / "metadata" / f"{name}.xml").write_bytes(
            dat46.metadata_bytes(metadata)
        )
        (folder / "envelopes").mkdir(exist_ok=True)
        item = envelopes.envelope(
            info, metadata, generated=generated, producer=producer
        )
        (folder / "envelopes" / f"{name}.xml").write_bytes(
            envelopes.envelope_bytes(item)
        )


def _manifest_index(case):
    return {
        (e.get("uid"), e.get("field")): e
        for e in getattr(case, "archival_manifest", None) or ()
    }


def build_package(
    cases,
    target,
    *,
    purpose="export",
    receiver="",
    actor=None,
    progress=None,
    processes=1,
):
    """Write the package of ``cases`` (filed or not; records filed on their
    own may be among them) to ``target``; returns a ``PackageResult``.
    ``purpose`` is "export" or "transfer"."""
    started = time.perf_counter()
    target = Path(target)
    if target.exists():
        raise PackageError(
            _("The package ${path} exists already.", mapping={"path": str(target)})
        )
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # personal data inside: closed until _restrict
    try:
        result = _build(
            _unique(cases),
            partial,
            target,
            purpose,
            receiver,
            actor,
            progress,
            processes,
        )
    except BaseException:
        # a failed package leaves nothing behind (no half package with personal data)
        shutil.rmtree(partial, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


def _unique(cases):
    """Each case once (an appraisal may name a 档号 twice)."""
    seen, unique = set(), []
    for case in cases:
        uid = IUUID(case)
        if uid not in seen:
            seen.add(uid)
            unique.append(case)
    return unique


def _build(cases, partial, target, purpose, receiver, actor, progress, processes):
    settings = filing_settings()
    fonds_name = settings.fonds_name or ""
    generated = datetime.now(UTC)
    actor = actor or api.user.get_current().getId()
    runs = recorded_runs(api.portal.get())
    all_events = []
    result = PackageResult(path=target, digest="")
    hearings = {}
    try:
        _write_payload(
            cases,
            partial,
            result,
            hearings,
            runs,
            all_events,
            fonds_name,
            generated,
            actor,
            purpose,
            receiver,
            progress,
        )
    except ValueError as error:  # a record the archival metadata cannot describe
        raise PackageError(
            _(
                "A record cannot be described in the package: ${error}",
                mapping={"error": str(error)},
            )
        ) from None
    package_id = target.name
    events_element = premis.events_document(
        all_events, package_id=package_id, generated=generated
    )
    (partial / "events.xml").write_bytes(premis.events_bytes(events_element))
    bag_info = {
        "Source-Organization": fonds_name or "信访局",
        "Organization-Address": "",
        "External-Identifier": package_id,
        "External-Description": f"{'移交' if purpose == 'transfer' else '导出'}：{result.cases} 件信访件，"
        f"{result.hearings} 次听证，{result.meetings} 次会议，"
        f"{result.receptions} 个领导接待日，{result.screening} 份排查报告，{result.warnings} 条预警",
        "Bag-Group-Identifier": settings.fonds_code or "",
        "Bag-Software-Agent": f"{PRODUCER} (bagit {bagit.VERSION})",
        "XF-Package-Purpose": purpose,
        "XF-Receiver": receiver,
        "XF-Cases": str(result.cases),
        "XF-Archival-Codes": " ".join(result.codes[:50])
        + (" …" if len(result.codes) > 50 else ""),
    }
    bagit.make_bag(
        str(partial),
        {k: v for k, v in bag_info.items() if v},
        processes=processes,
        checksums=["sha256"],
    )
    report = verify_package(partial, processes=processes)
    if (
        report.missing
        or report.changed
        or report.extra
        or report.structure
        or report.invalid_xml
    ):
        raise PackageError(
            _(
                "The new package did not validate; it was not kept as ${path}.",
                mapping={"path": str(target)},
            ),
            report,
        )
    _restrict(partial)
    partial.rename(target)
    digest_file = write_package_digest(target)
    result.digest = digest_file.read_text().split()[0]
    result.bytes = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return result


def _purpose_event(obj, purpose, receiver, generated, actor):
    return Event(
        identifier=f"evt-{IUUID(obj)}-{purpose}",
        type=purpose,
        time=generated,
        agent=actor,
        outcome="success",
        detail=("移交" + (f"至{receiver}" if receiver else ""))
        if purpose == "transfer"
        else "导出为档案信息包",
        object_uid=IUUID(obj),
        object_identifier=getattr(obj, "archival_code", "")
        or getattr(obj, "registration_number", "")
        or obj.getId(),
    )


def _write_payload(  # noqa: C901
    records,
    partial,
    result,
    hearings,
    runs,
    all_events,
    fonds_name,
    generated,
    actor,
    purpose,
    receiver,
    progress,
):
    # a record filed on its own (a screening report) goes as those the cases name do
    alone = [r for r in records if r.portal_type in ALONE_TYPES]
    cases = [r for r in records if r.portal_type not in ALONE_TYPES]
    named = {
        IUUID(record): record for record in alone
    }  # with the reception days and reports the cases name
    for record in alone:
        all_events.append(_purpose_event(record, purpose, receiver, generated, actor))
        if getattr(record, "archival_code", None):
            result.codes.append(record.archival_code)
    for done, case in enumerate(cases, start=1):
        folder = partial / "cases" / case.getId()
        folder.mkdir(parents=True)
        files = _PayloadFiles(folder, partial)
        (folder / "exchange.xml").write_bytes(exchange_bytes([case], files=files))
        manifest = _manifest_index(case)
        by_uid = {
            IUUID(obj): files.describe(obj, manifest)
            for obj in [case, *list(_inside(case))]
        }
        infos = describe_case(case, by_uid, fonds_name)
        _write_records(folder, infos, generated, fonds_name or PRODUCER)
        all_events.extend(case_events(case, runs))
        all_events.append(_purpose_event(case, purpose, receiver, generated, actor))
        result.cases += 1
        result.records += len(infos)
        result.files += len(files.written)
        result.bytes += files.bytes
        if getattr(case, "archival_code", None):
            result.codes.append(case.archival_code)
        for hearing in linked_hearings(case):
            hearings.setdefault(IUUID(hearing), (hearing, case))
        # an export (moving records between archives) carries meetings in every
        # state; a transfer (移交) only those whose minutes are final
        for meeting in meetings_of_case(
            case, states=() if purpose != "transfer" else (FINALIZED,)
        ):
            hearings.setdefault(IUUID(meeting), (meeting, case))
        for record in accountability_of(case):
            hearings.setdefault(IUUID(record), (record, case))
        for record in _named_by(case):
            named.setdefault(IUUID(record), record)
        if progress:
            progress(done, len(cases))
    packed = {IUUID(case) for case in cases}
    for record, _case in list(hearings.values()):
        if record.portal_type == "AccountabilityRecord" and _accountability_packed(
            record, packed
        ):
            # the screening reports it names (a report missed, 漏报), which it is about as much
            for relation in getattr(record, "screening_reports", None) or ():
                target = getattr(relation, "to_object", None)
                if target is not None:
                    named.setdefault(IUUID(target), target)
    for warning in _warnings_about(set(packed) | set(named), purpose):
        named.setdefault(IUUID(warning), warning)
    for record in named.values():
        _write_named(
            record, partial, result, packed, fonds_name, generated, runs, all_events
        )
    meetings = [
        m for m, _case in hearings.values() if m.portal_type == "CoordinationMeeting"
    ]
    _write_meetings(meetings, packed, partial, result, generated, fonds_name)
    for hearing, _case in hearings.values():
        if hearing.portal_type == "CoordinationMeeting":
            continue
        if hearing.portal_type == "AccountabilityRecord":
            _write_accountability(
                hearing, partial, result, packed, fonds_name, generated
            )
            continue
        named = {getattr(r, "to_object", None) for r in hearing.cases or ()}
        if None in named or {IUUID(c) for c in named} - packed:
            # a hearing that also heard cases outside the package stays out:
            # their parties are not the archives' business with this package
            result.hearings_left_out.append(hearing.hearing_number or hearing.getId())
            continue
        folder = partial / "hearings" / hearing.getId()
        folder.mkdir(parents=True)
        files = _PayloadFiles(folder, partial)
        (folder / "exchange.xml").write_bytes(exchange_bytes([hearing], files=files))
        by_uid = {
            IUUID(obj): files.describe(obj, {})
            for obj in [hearing, *list(hearing.objectValues())]
        }
        infos = describe_hearing(hearing, by_uid, fonds_name)
        _write_records(folder, infos, generated, fonds_name or PRODUCER)
        result.hearings += 1
        result.records += len(infos)
        result.files += len(files.written)
        result.bytes += files.bytes


def _write_meetings(meetings, packed, partial, result, generated, fonds_name):
    """The meetings that decided on the packed cases, each whole: one that
    also decided on cases outside the package stays out, as a hearing does."""
    for meeting in meetings:
        cases = [find_case(number) for number in meeting.case_numbers()]
        if None in cases or {IUUID(c) for c in cases} - packed:
            result.meetings_left_out.append(meeting.getId())
            continue
        folder = partial / "meetings" / meeting.getId()
        folder.mkdir(parents=True)
        files = _PayloadFiles(folder, partial)
        (folder / "exchange.xml").write_bytes(exchange_bytes([meeting], files=files))
        infos = describe_hearing(
            meeting, {IUUID(meeting): files.describe(meeting, {})}, fonds_name
        )
        _write_records(folder, infos, generated, fonds_name or PRODUCER)
        result.meetings += 1
        result.records += len(infos)
        result.files += len(files.written)
        result.bytes += files.bytes


def _write_accountability(record, partial, result, packed, fonds_name, generated):
    """A decided accountability record goes with the cases it names, when
    all of them are in the package (otherwise it stays out, as a hearing)."""
    if not _accountability_packed(record, packed):
        return
    folder = partial / "accountability" / record.getId()
    folder.mkdir(parents=True)
    files = _PayloadFiles(folder, partial)
    (folder / "exchange.xml").write_bytes(exchange_bytes([record], files=files))
    infos = describe_accountability(
        record, {IUUID(record): files.describe(record, {})}, fonds_name
    )
    _write_records(folder, infos, generated, fonds_name or PRODUCER)
    result.accountability += 1
    result.records += len(infos)
    result.files += len(files.written)
    result.bytes += files.bytes


def _named_by(case):
    """The reception day ``case`` was received at and the screening report
    it was screened in (as a dispute), those that are in this archive."""

    reception = reception_of(case)
    if reception is not None:
        yield reception
    source = source_of(case)
    if source:
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog.unrestrictedSearchResults(
            UID=source[0], portal_type="ScreeningReport"
        ):
            yield brain._unrestrictedGetObject()


def _cases_of(record):
    """The UIDs of the cases a reception day received or a screening report's disputes became."""

    if record.portal_type == "LeaderReception":
        return {IUUID(case) for case in received_cases(record)}
    return set(case_links(record).values())


# The folder of each kind of record written whole beside the cases, and its count.
NAMED_FOLDERS = {
    "LeaderReception": "receptions",
    "ScreeningReport": "screening",
    "EarlyWarning": "warnings",
}
# A transfer carries the warnings a person has acknowledged (and filed), an export every one.
SETTLED_WARNINGS = ("acknowledged", "filed", "transferred")


def _warnings_about(uids, purpose):
    """The warnings every one of whose records is in the package (``uids``):
    like a hearing, a warning also about records elsewhere stays out."""
    if not uids:
        return []
    query = {"portal_type": "EarlyWarning", "warning_records": list(uids)}
    if purpose == "transfer":
        query["review_state"] = list(SETTLED_WARNINGS)
    catalog = api.portal.get_tool("portal_catalog")
    found = [
        brain._unrestrictedGetObject()
        for brain in catalog.unrestrictedSearchResults(**query)
    ]
    return [warning for warning in found if set(warning.records or ()) <= uids]


def _write_named(
    record, partial, result, packed, fonds_name, generated, runs, all_events
):
    """A reception day, a screening report or a warning, whole (see the
    module's docstring); a filed one with its own events (filing, fixity …)."""
    kind = NAMED_FOLDERS[record.portal_type]
    folder = partial / kind / record.getId()
    folder.mkdir(parents=True)
    files = _PayloadFiles(folder, partial)
    (folder / "exchange.xml").write_bytes(exchange_bytes([record], files=files))
    infos = describe_record(
        record,
        {IUUID(record): files.describe(record, _manifest_index(record))},
        fonds_name,
    )
    _write_records(folder, infos, generated, fonds_name or PRODUCER)
    if getattr(record, "archival_code", None):
        all_events.extend(case_events(record, runs))
    if kind != "warnings" and _cases_of(record) - packed:
        result.shared.append(record.getId())
    setattr(result, kind, getattr(result, kind) + 1)
    result.records += len(infos)
    result.files += len(files.written)
    result.bytes += files.bytes


def _accountability_packed(record, packed):
    if api.content.get_state(record, default=None) != "decided":
        return False
    named = {getattr(r, "to_object", None) for r in record.linked_cases or ()}
    return None not in named and not {IUUID(c) for c in named} - packed


def accountability_of(case):

    return records_of(case)


def _restrict(root):
    """Personal data and accusation material are in the package: readable
    by the owner and the group of the archive's service only."""
    for path in [root, *root.rglob("*")]:
        path.chmod(0o750 if path.is_dir() else 0o640)


class _RemovedOnAbort:
    """A transaction participant that deletes a package written for a
    transaction that then does not commit (an error later on, a conflict
    retried by the publisher): no package on disk without its record."""

    transaction_manager = None

    def __init__(self, result):
        self.result = result

    def _remove(self):
        shutil.rmtree(self.result.path, ignore_errors=True)
        Path(f"{self.result.path}.sha256").unlink(missing_ok=True)

    def abort(self, txn):
        self._remove()

    def tpc_abort(self, txn):
        self._remove()

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def tpc_finish(self, txn):
        pass

    def savepoint(self):
        return self

    def rollback(self):
        """Rolling back to a savepoint taken after the package was written
        keeps it: the transaction may still commit it."""

    def sortKey(self):
        return f"~xinfang-archive-package:{self.result.path}"


def kept_only_if_committed(result):
    """Tie the package of ``result`` to the current transaction."""
    import transaction

    transaction.get().join(_RemovedOnAbort(result))


def _inside(obj):
    for child in obj.objectValues():
        yield child
        if hasattr(child, "objectValues"):
            yield from _inside(child)
