"""Where jobs keep their files: uploads and export packages under
``$XINFANG_ARCHIVE_VAR/jobs/<job>``; the files an archivist may name on the
server under ``$XINFANG_ARCHIVE_VAR/imports`` (and nowhere else)."""

from pathlib import Path

import os
import shutil
import tempfile


def _var():
    var = os.environ.get("XINFANG_ARCHIVE_VAR")
    return Path(var) if var else Path(tempfile.gettempdir()) / "xinfang-archive"


def job_directory(job_id):
    path = _var() / "jobs" / job_id
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def remove_job_directories(job_ids):
    """The files of jobs no longer kept (uploads may hold personal data)."""
    for job_id in job_ids:
        shutil.rmtree(_var() / "jobs" / job_id, ignore_errors=True)


def imports_directory():
    return _var() / "imports"


def server_source(name):
    """The file or directory ``name`` of the imports directory, or None when
    there is none or the name leads out of it."""
    root = imports_directory().resolve()
    if not name or not root.is_dir():
        return None
    path = (root / name).resolve()
    if path == root or root not in path.parents or not path.exists():
        return None
    return path


def server_sources():
    """The names an archivist may choose from."""
    root = imports_directory()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if not p.name.startswith("."))
