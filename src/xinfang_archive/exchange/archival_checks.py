"""The archival data a filed record brings, checked on ingest (DA/T 70
authenticity and integrity): before writing, its 档号 well-formed, free in
this archive and agreeing with the rest of its archival data; after
writing, its records and files exactly as its filing manifest lists them."""

from Acquisition import aq_base
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.archival.codes import parse as parse_code
from xinfang_archive.archival.codes import well_formed
from xinfang_archive.archival.manifest import files_of
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.archival.manifest import sha256_stream
from xinfang_archive.archival.numbering import group_state
from xinfang_archive.archival.retention import expiry
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.vocabularies.fixed import PERIODS


def archival_problems(record, site):
    """The problems of ``record``'s archival data (it has some)."""
    code = record.archival.get("archival_code") or ""
    if not well_formed(code):
        return [
            _(
                "The archival code ${code} is not well-formed.",
                mapping={"code": code},
            )
        ]
    parsed = parse_code(code)
    state = group_state(parsed.group, site)
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
    return _consistency(record.archival, parsed)


def _consistency(archival, parsed):
    """The parts of the archival data agree with the 档号 and with each
    other: a record cannot arrive permanent in its code but due for
    destruction by its expiry date.  (The 档号 keeps the period it was
    filed with; an extension recorded in the retention history changes the
    period in force and its expiry.)"""
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


def manifest_problems(case):
    """Whether the imported records are what was filed: every metadata
    digest and file checksum of the case's manifest, recomputed, and no
    record or file that the manifest does not list (filing lists every
    record and file)."""
    return _unlisted(case) + _differing(case)


def _unlisted(case):
    """Records and files of the case that its manifest does not list."""
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
    return problems


def _differing(case):
    """Entries of the manifest missing from the case or differing from it."""
    problems = []
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
        elif entry["field"] == METADATA:
            if metadata_digest(obj) != entry["sha256"]:
                problems.append(
                    _(
                        "The metadata of ${path} differ from what was filed (digest mismatch).",
                        mapping={"path": path or case.getId()},
                    )
                )
        else:
            problems.extend(_file_problems(obj, entry, path))
    return problems


def _file_problems(obj, entry, path):
    value = getattr(aq_base(obj), entry["field"], None)
    if value is None:
        return [
            _(
                "The filed file ${filename} of ${path} is missing from the import.",
                mapping={"filename": entry.get("filename"), "path": path},
            )
        ]
    with value.open() as stream:
        sha, _size = sha256_stream(stream)
    if sha != entry["sha256"]:
        return [
            _(
                "The file ${filename} of ${path} differs from what was filed (checksum mismatch).",
                mapping={"filename": entry.get("filename"), "path": path},
            )
        ]
    return []
