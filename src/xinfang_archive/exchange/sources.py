"""What an import reads: the exchange files of files, directories and
archival packages, a package only when it is intact, a file only when the
hardened parser accepts it and it is an exchange document.  What is refused
goes into the report; nothing of it is imported."""

from pathlib import Path
from xinfang_archive import _
from xinfang_archive.exchange.fields import NS
from xinfang_archive.exchange.safexml import parse
from xinfang_archive.exchange.safexml import XMLRefused
from xinfang_archive.exchange.verify import report_lines
from xinfang_archive.exchange.verify import verify_package
from xinfang_archive.i18n import record_text


ROOT = f"{{{NS}}}exchange"
MAX_WARNINGS = 1000  # a directory of foreign XML files must not flood the report


def plan(sources, report):
    """``[(exchange file, directory its references may point into)]`` of
    ``sources`` (files, directories, packages); damaged packages are
    refused here."""
    sources = [Path(source) for source in sources]
    sources = [
        s
        for source in sources
        for s in (source, *packages_in(source))
        if package_intact(s, report)
    ]
    files = [
        (path, import_root(source))
        for source in sources
        for path in exchange_files(source)
    ]
    if not files and not report.refused_files:
        report.refused_files.extend(
            (str(s), record_text(_("No exchange XML found here."))) for s in sources
        )
    return files


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


def import_root(source):
    """The directory files may be referenced from: the import's own."""
    return (source if source.is_dir() else source.parent).resolve()


def package_intact(source, report):
    """An archival package is imported only if it is intact: every file
    as its manifests say, and the package checksum, when it lies beside
    it, matching.  Anything else than a package passes."""
    if not is_package(source):
        return True
    verified = verify_package(source)
    damaged = (
        verified.missing
        or verified.changed
        or verified.extra
        or verified.structure
        or verified.invalid_xml
    )
    if damaged or verified.digest == "mismatch":
        report.refused_files.append(
            (
                str(source),
                record_text(_("The package is not intact; nothing of it was imported."))
                + " "
                + "；".join(report_lines(verified)[1:]),
            )
        )
        return False
    if verified.digest == "absent":
        report.warnings.append(
            record_text(
                _(
                    "${path}: no package checksum beside it; the package's own manifests were checked.",
                    mapping={"path": str(source)},
                )
            )
        )
    return True


def load(path, max_bytes, report):
    """The root element of the exchange file ``path``, or None: refused by
    the parser (reported as a refused file) or not an exchange document
    (left out with a note)."""
    try:
        tree = parse(path, max_bytes=max_bytes)
    except XMLRefused as error:
        report.refused_files.append((str(path), str(error)))
        return None
    root = tree.getroot()
    if root.tag != ROOT:
        if len(report.warnings) < MAX_WARNINGS:
            report.warnings.append(
                record_text(
                    _(
                        "${path}: not an exchange file (root element ${root}); left out.",
                        mapping={"path": str(path), "root": root.tag},
                    )
                )
            )
        return None
    return root


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
