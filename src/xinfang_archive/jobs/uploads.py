"""Saving what an archivist uploads for an import: an exchange XML file as
it is, a ZIP of a package or of exchange files unpacked, within the same
limit on size as the command line's (``--max-size``)."""

from pathlib import Path
from xinfang_archive import _

import re
import shutil
import zipfile


MAX_MEMBERS = 200_000  # files in one uploaded ZIP


class UploadRefused(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def safe_name(filename):
    name = Path(filename.replace("\\", "/")).name
    return re.sub(r"[^\w.\-\u4e00-\u9fff]+", "_", name).strip("._") or "upload"


def save_upload(upload, directory, max_bytes):
    """The path of the saved source (a file, or the directory a ZIP was unpacked into)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = directory / safe_name(getattr(upload, "filename", "") or "upload")
    size = 0
    upload.seek(0)
    with open(target, "wb") as out:
        while chunk := upload.read(1 << 20):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                target.unlink()
                raise UploadRefused(
                    _(
                        "The file is larger than the limit of ${mb} MB.",
                        mapping={"mb": max_bytes // (1024 * 1024)},
                    )
                )
            out.write(chunk)
    if not zipfile.is_zipfile(target):
        return target
    return _unpack(target, directory / target.stem, max_bytes)


def _unpack(archive, into, max_bytes):
    """Unpack ``archive``, refusing paths that lead out of ``into``, links,
    and more than ``max_bytes`` or ``MAX_MEMBERS`` files once unpacked."""
    with zipfile.ZipFile(archive) as zipped:
        members = zipped.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > max_bytes:
            raise UploadRefused(
                _("The ZIP file unpacks to more than the limit allows.")
            )
        root = into.resolve()
        for member in members:
            path = (root / member.filename).resolve()
            link = (member.external_attr >> 16) & 0o170000 == 0o120000
            if link or (path != root and root not in path.parents):
                shutil.rmtree(into, ignore_errors=True)
                raise UploadRefused(
                    _(
                        "The ZIP file holds a path outside itself: ${name}.",
                        mapping={"name": member.filename[:200]},
                    )
                )
        zipped.extractall(into)
    archive.unlink()
    entries = [p for p in into.iterdir() if not p.name.startswith(".")]
    # a ZIP of one package directory: that directory is the source
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else into
