"""What the processes of a parallel import (``import --workers N``) share.

The parent plans the files, raises the numbering counters to the numbers
the import brings (``reserve_ahead``), then N workers (ZEO clients) each
import their share of the cases (``share_of``) and report back
as JSON (``report_to_json``); the parent merges the reports
(``merge_reports``) and imports what the workers left to the end: the
cases referring to cases of another share, and the hearings.
"""

from xinfang_archive.archival.codes import parse as parse_code
from xinfang_archive.archival.numbering import reserve_item
from xinfang_archive.content.registration import reserve_number
from xinfang_archive.exchange.fields import local
from xinfang_archive.exchange.fields import NS
from xinfang_archive.exchange.import_report import ImportReport
from xinfang_archive.exchange.import_report import Outcome
from xinfang_archive.exchange.reader import identifier_of
from xinfang_archive.exchange.safexml import parse
from xinfang_archive.exchange.safexml import XMLRefused

import zlib


def share_of(element, workers):
    """Which of ``workers`` parallel workers imports this case: by its
    registration number, so that two cases giving the same number meet in
    one worker, which skips or refuses the second as a single import does."""
    return zlib.crc32(identifier_of(element).encode("utf-8")) % workers


def where(path, element):
    """How a case is named between the import processes: file and line."""
    return [str(path), element.sourceline]


def reserve_ahead(site, files, max_bytes):
    """Raise the year's registration counter and each 档号 group to the
    numbers the import brings, before the workers start.  A worker then finds
    them raised and writes neither (two workers raising one counter would
    conflict on every batch), and no registration or filing on the web takes
    a number meanwhile that a worker is about to import.  Files the parser
    refuses are left to the workers, which report them."""
    for path, _base in files:
        try:
            root = parse(path, max_bytes=max_bytes).getroot()
        except XMLRefused:
            continue
        for element in root:
            if not isinstance(element.tag, str) or local(element) != "case":
                continue
            reserve_number(identifier_of(element), site=site)
            code = element.findtext(f"{{{NS}}}archival/{{{NS}}}archival_code")
            parsed = parse_code(code)
            if parsed is not None:
                reserve_item(parsed.group, parsed.item, site=site)


def report_to_json(report):
    return {
        "outcomes": [
            {
                "source": o.source,
                "kind": o.kind,
                "identifier": o.identifier,
                "status": o.status,
                "messages": o.texts(),
            }
            for o in report.outcomes
        ],
        "refused_files": [list(item) for item in report.refused_files],
        "warnings": list(report.warnings),
        "versions": report.versions,
        "files": report.files,
        "deferred": list(report.deferred),
        "seconds": report.seconds,
        "rewritten": report.rewritten,
    }


def report_from_json(data):
    report = ImportReport()
    report.outcomes = [Outcome(**outcome) for outcome in data["outcomes"]]
    report.refused_files = [tuple(item) for item in data["refused_files"]]
    report.warnings = list(data["warnings"])
    report.versions, report.files = data["versions"], data["files"]
    report.deferred = [list(item) for item in data["deferred"]]
    report.seconds = data["seconds"]
    report.rewritten = data.get("rewritten", 0)
    return report


def merge_reports(reports):
    """One report of several: outcomes and counts added up; each worker
    refuses a bad file and warns about it once, the merged report once."""
    merged = ImportReport()
    refused = set()
    for report in reports:
        merged.outcomes.extend(report.outcomes)
        merged.versions += report.versions
        merged.files += report.files
        merged.deferred.extend(report.deferred)
        merged.rewritten += report.rewritten
        for path, message in report.refused_files:
            if path not in refused:
                refused.add(path)
                merged.refused_files.append((path, message))
        merged.warnings.extend(w for w in report.warnings if w not in merged.warnings)
    merged.outcomes.sort(key=lambda outcome: _source_order(outcome.source))
    return merged


def _source_order(source):
    path, _sep, line = source.rpartition(":")
    return (path, int(line) if line.isdigit() else 0)
