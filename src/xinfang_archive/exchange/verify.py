"""``verify-package``: check an archival package (a BagIt bag) completely.

The package is the bag directory ``<bag>`` and, beside it, ``<bag>.sha256``:
the SHA-256 of ``<bag>/tagmanifest-sha256.txt``, which covers the tag files
and ``manifest-sha256.txt``, which covers every payload file.  Missing,
changed and extra files are reported apart, and every problem is reported,
not only the first.  Each record envelope's 封装包摘要 is checked as well:
it shows an envelope changed after packaging even where the bag's manifests
were made again (a tool that rewrites bags does).  It is a digest, not a
signature: whoever recomputes it can forge it, which only the package
checksum recorded at export or transfer (``--expected-sha256``) reveals.
"""

from dataclasses import dataclass
from dataclasses import field
from lxml import etree
from pathlib import Path
from xinfang_archive import _
from xinfang_archive.exchange import envelope
from xinfang_archive.exchange import safexml
from xinfang_archive.i18n import record_text

import bagit
import hashlib
import multiprocessing
import os
import re


PACKAGE_DIGEST_SUFFIX = ".sha256"
TAG_MANIFEST = "tagmanifest-sha256.txt"
PAYLOAD_MANIFEST = "manifest-sha256.txt"

_DIGEST_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


def package_digest(bag_dir):
    """Hex SHA-256 of ``<bag>/tagmanifest-sha256.txt``."""
    digest = hashlib.sha256()
    with open(Path(bag_dir) / TAG_MANIFEST, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _digest_path(bag_dir):
    return bag_dir.parent / (bag_dir.name + PACKAGE_DIGEST_SUFFIX)


def write_package_digest(bag_dir):
    """Write ``<bag>.sha256`` (sha256sum format) beside the bag; its path."""
    bag_dir = Path(os.path.abspath(bag_dir))
    path = _digest_path(bag_dir)
    line = f"{package_digest(bag_dir)}  {bag_dir.name}/{TAG_MANIFEST}\n"
    path.write_bytes(line.encode("utf-8"))
    return path


@dataclass
class PackageReport:
    path: str
    missing: list = field(default_factory=list)  # listed in a manifest, absent
    changed: list = field(default_factory=list)  # present, SHA-256 differs
    extra: list = field(default_factory=list)  # payload files in no manifest
    structure: list = field(default_factory=list)  # zh_CN texts
    digest: str = "absent"  # "ok", "mismatch", "absent"
    invalid_xml: list = field(default_factory=list)  # (path, line, message)
    # payload files whose SHA-256 is not the one their record's XML declares
    # (replaced, and the manifests made again)
    undeclared: list = field(default_factory=list)
    expected: str = ""  # the package checksum recorded at export, when given
    expected_ok: bool = True
    files_checked: int = 0
    bytes_checked: int = 0

    @property
    def ok(self):
        """Intact: nothing wrong and the package checksum present and matching."""
        return (
            self.digest == "ok"
            and not self.missing
            and not self.changed
            and not self.extra
            and not self.structure
            and not self.invalid_xml
            and not self.undeclared
            and self.expected_ok
        )


def _check_digest(bag_dir):
    path = _digest_path(bag_dir)
    if not path.is_file():
        return "absent"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        match = _DIGEST_LINE.match(lines[0]) if len(lines) == 1 else None
        if (
            match
            and match.group(2) == f"{bag_dir.name}/{TAG_MANIFEST}"
            and match.group(1).lower() == package_digest(bag_dir)
        ):
            return "ok"
    except (OSError, UnicodeDecodeError):
        pass
    return "mismatch"


def _posix(rel_path):
    return Path(rel_path).as_posix()


def _check_bag(bag, bag_dir, report, processes):
    """Run bagit's checks one by one.

    ``Bag.validate()`` stops at the first failing stage (Payload-Oxum, then
    completeness, then checksums), so the stages are called separately to
    report every problem.
    """
    for check in (bag._validate_structure, bag._validate_bagittxt):
        try:
            check()
        except bagit.BagError as error:
            report.structure.append(
                record_text(
                    _("BagIt structure: ${reason}", mapping={"reason": str(error)})
                )
            )
    if not (bag_dir / PAYLOAD_MANIFEST).is_file():
        report.structure.append(
            record_text(_("No SHA-256 payload manifest (manifest-sha256.txt)."))
        )
    if not (bag_dir / TAG_MANIFEST).is_file():
        report.structure.append(
            record_text(_("No SHA-256 tag manifest (tagmanifest-sha256.txt)."))
        )
    try:
        bag._validate_oxum()
    except bagit.BagError as error:
        report.structure.append(
            record_text(
                _(
                    "Payload-Oxum does not match the payload: ${reason}",
                    mapping={"reason": str(error)},
                )
            )
        )
    missing, changed, extra = set(), set(), set()
    try:
        bag._validate_completeness()
    except bagit.BagValidationError as error:
        for detail in error.details:
            if isinstance(detail, bagit.FileMissing):
                missing.add(_posix(detail.path))
            elif isinstance(detail, bagit.UnexpectedFile):
                extra.add(_posix(detail.path))
    try:
        bag._validate_entries(processes)
    except bagit.BagValidationError as error:
        for detail in error.details:
            if isinstance(detail, bagit.ChecksumMismatch):
                # bagit reports an unreadable file as a mismatch, too
                exists = (bag_dir / detail.path).is_file()
                (changed if exists else missing).add(_posix(detail.path))
    report.missing, report.changed, report.extra = (
        sorted(missing),
        sorted(changed),
        sorted(extra - missing),
    )
    for rel_path in bag.entries:
        full = bag_dir / rel_path
        if full.is_file():
            report.files_checked += 1
            report.bytes_checked += full.stat().st_size


def _xml_problems(path, rel_path, schemas=None):
    """``([(rel_path, line, message)], {payload path: declared sha256})`` for
    one XML file of the payload: the hardened parser, its schema, for an
    envelope its 封装包摘要, and the files the XML refers to (``href``) with
    the SHA-256 it declares for them."""
    try:
        tree = safexml.parse(path, name=rel_path)
    except safexml.XMLRefused as refused:
        return [(rel_path, refused.line, str(refused))], {}
    namespace = etree.QName(tree.getroot()).namespace
    try:
        schema = (
            schemas.get(namespace) if schemas is not None else safexml.schema_for(tree)
        )
    except (
        safexml.XMLRefused
    ) as refused:  # our own schema is broken: cannot vouch for the file
        return [(rel_path, None, str(refused))], {}
    errors = safexml.validation_errors(tree, schema) if schema is not None else []
    problems = [(rel_path, line, message) for line, message in errors]
    if (
        not errors
        and namespace == envelope.NAMESPACE
        and not envelope.envelope_digest_ok(tree)
    ):
        problems.append(
            (
                rel_path,
                None,
                record_text(
                    _(
                        "The envelope digest (封装包摘要) does not match its signed object: "
                        "the envelope was changed after packaging."
                    )
                ),
            )
        )
    declared = {}
    folder = Path(rel_path).parent
    for element in tree.iter():
        href, sha256 = element.get("href"), element.get("sha256")
        if href and sha256 and "://" not in href:
            declared[os.path.normpath(folder / href).replace(os.sep, "/")] = (
                sha256.lower()
            )
    return problems, declared


def _xml_problems_in_worker(paths):
    return _xml_problems(*paths)


def _xml_results(bag_dir, xml_files, schemas, processes):
    """The problems of each XML file, in order; in ``processes`` worker
    processes when more than one (as bagit checks the checksums): C14N 2.0
    of the envelopes and XSD validation are CPU bound.  Schemas passed in
    (tests) cannot be sent to workers, so they are checked here."""
    jobs = [(path, path.relative_to(bag_dir).as_posix()) for path in xml_files]
    if processes > 1 and schemas is None and len(jobs) > 1:
        with multiprocessing.Pool(processes) as pool:
            yield from pool.imap(_xml_problems_in_worker, jobs, chunksize=64)
    else:
        for path, rel_path in jobs:
            yield _xml_problems(path, rel_path, schemas)


def verify_package(
    bag_dir,
    *,
    validate_xml=True,
    schemas=None,
    processes=1,
    progress=None,
    expected_sha256=None,
):
    """Check the package ``bag_dir``: checksums, completeness, package digest, XML.

    ``schemas`` (``{namespace: XMLSchema}``) replaces ``safexml.schema_for``;
    XML of a namespace without a schema is only parsed.  ``processes`` is
    used for the checksums and the XML files alike.  ``progress(done,
    total)`` counts files: all checksums at once, then each XML file.
    ``expected_sha256``: the package checksum recorded at export or
    transfer, compared with the package's.
    """
    bag_dir = Path(os.path.abspath(bag_dir))
    report = PackageReport(path=str(bag_dir))
    report.digest = _check_digest(bag_dir)
    if not bag_dir.is_dir():
        report.structure.append(
            record_text(_("Not a directory: ${path}", mapping={"path": str(bag_dir)}))
        )
        return report
    try:
        bag = bagit.Bag(str(bag_dir))
    except (bagit.BagError, OSError, UnicodeDecodeError) as error:
        report.structure.append(
            record_text(
                _("Not a readable BagIt bag: ${reason}", mapping={"reason": str(error)})
            )
        )
        return report
    xml_files = []
    if validate_xml and (bag_dir / "data").is_dir():
        xml_files = sorted(
            p
            for p in (bag_dir / "data").rglob("*")
            if p.suffix.lower() == ".xml" and p.is_file()
        )
    total = len(bag.entries) + len(xml_files)
    _check_bag(bag, bag_dir, report, processes)
    done = len(bag.entries)
    if progress:
        progress(done, total)
    declared = {}
    for problems, refs in _xml_results(bag_dir, xml_files, schemas, processes):
        report.invalid_xml.extend(problems)
        declared.update(refs)
        done += 1
        if progress:
            progress(done, total)
    # bagit compared each file with the manifest; the manifest with what the
    # records declare is compared here (a file replaced and the manifests
    # made again agrees with them, not with its record)
    for rel_path, sha256 in sorted(declared.items()):
        listed = bag.entries.get(rel_path, {}).get("sha256")
        if listed and listed.lower() != sha256 and rel_path not in report.changed:
            report.undeclared.append(rel_path)
    if expected_sha256 is not None:
        report.expected = expected_sha256.strip().lower()
        try:
            report.expected_ok = package_digest(bag_dir) == report.expected
        except OSError:
            report.expected_ok = False
    return report


def report_lines(report):
    """The report the CLI prints, in zh_CN: totals, the problems by kind, a verdict."""

    def text(message):
        return record_text(message)

    digest_file = {"file": Path(report.path).name + PACKAGE_DIGEST_SUFFIX}
    if report.digest == "ok":
        digest = _("Package checksum ${file}: matches", mapping=digest_file)
    elif report.digest == "mismatch":
        digest = _("Package checksum ${file}: does not match", mapping=digest_file)
    else:
        digest = _("Package checksum ${file}: absent", mapping=digest_file)
    lines = [
        text(_("Package: ${path}", mapping={"path": report.path})),
        text(
            _(
                "Files checked: ${files} (${size})",
                mapping={
                    "files": report.files_checked,
                    "size": safexml.size_text(report.bytes_checked),
                },
            )
        ),
        text(digest),
    ]
    sections = (
        (
            _("Missing (${count}):", mapping={"count": len(report.missing)}),
            report.missing,
        ),
        (
            _("Changed (${count}):", mapping={"count": len(report.changed)}),
            report.changed,
        ),
        (_("Extra (${count}):", mapping={"count": len(report.extra)}), report.extra),
        (
            _("Structure (${count}):", mapping={"count": len(report.structure)}),
            report.structure,
        ),
    )
    for heading, items in sections:
        if items:
            lines.append(text(heading))
            lines.extend(f"  {item}" for item in items)
    if report.undeclared:
        lines.append(
            text(
                _(
                    "Not the file its record declares (${count}):",
                    mapping={"count": len(report.undeclared)},
                )
            )
        )
        lines.extend(f"  {item}" for item in report.undeclared)
    if report.invalid_xml:
        lines.append(
            text(_("XML (${count}):", mapping={"count": len(report.invalid_xml)}))
        )
        for path, line, message in report.invalid_xml:
            if line is None:
                lines.append(f"  {path}: {message}")
            else:
                lines.append(
                    "  "
                    + text(
                        _(
                            "${path}, line ${line}: ${message}",
                            mapping={"path": path, "line": line, "message": message},
                        )
                    )
                )
    if report.expected:
        lines.append(
            text(
                _(
                    "Recorded package checksum ${checksum}: matches",
                    mapping={"checksum": report.expected},
                )
                if report.expected_ok
                else _(
                    "Recorded package checksum ${checksum}: DIFFERS",
                    mapping={"checksum": report.expected},
                )
            )
        )
    lines.append(text(_("Package intact") if report.ok else _("Package has problems")))
    return lines
