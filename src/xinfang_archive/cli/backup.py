"""Backup and restore of an instance, consistent while the site serves.

A backup directory (``var/backups`` unless ``--to`` names another, best on
another disk) holds:

``repozo/``
    repozo's repository of ``Data.fs``: a full backup, then increments
    (``-z``: gzipped).  repozo reads the FileStorage while the ZEO server
    writes to it and stops at the last transaction that was complete.
``blobs/``
    every blob file, copied once (a blob file never changes once written:
    a new revision is a new file), under the layout of ``var/blobstorage``.
``runs/<UTC time>/``
    what is the run's own: ``audit.sqlite``, the configuration (``etc/``),
    the admin's and the demo staff's logins,
    repozo's log (``.dat``) as it was, ``run.json``, and
    ``manifest-sha256.txt``: the SHA-256 of every file the run's restore
    needs (a damaged backup is refused before anything is restored).

The order makes the copy consistent without stopping anything: the database
first, then the blobs (every blob a backed-up transaction names is on disk
before that transaction commits; later ones are extra and harmless), then
the audit trail (an entry is written before its transaction commits, so
every backed-up transaction finds its entry).  The search index is not
backed up: ``serve`` rebuilds it from the database.

``restore`` checks a run's manifest, then rebuilds an instance in a new
directory: it refuses a directory that holds a database, and never touches
a live one.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from pathlib import Path

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time


MANIFEST = "manifest-sha256.txt"
SECRETS = ("admin-password", "demo-logins.tsv")
CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def repozo(*args):
    command = [sys.executable, "-m", "ZODB.scripts.repozo", *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            f"repozo {' '.join(args)} failed: {result.stderr.strip() or result.stdout.strip()}"
        )
    return result


def copy_blobs(source, target):
    """Copy the blob files not yet in ``target``; returns the copied files
    (paths relative to ``target``) and their bytes.
    The blob directory's ``tmp`` (uncommitted uploads) and lock files are not
    part of the database."""
    copied, size = set(), 0
    for directory, dirs, files in os.walk(source):
        relative = Path(directory).relative_to(source)
        if relative == Path("."):
            dirs[:] = [name for name in dirs if name != "tmp"]
        for name in files:
            if name.endswith((".lock", ".partial")):
                continue
            origin = Path(directory) / name
            destination = target / relative / name
            if (
                destination.exists()
                and destination.stat().st_size == origin.stat().st_size
            ):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            partial = destination.with_name(destination.name + ".partial")
            shutil.copy2(origin, partial)
            os.replace(partial, destination)
            copied.add(str(relative / name))
            size += destination.stat().st_size
    return copied, size


def copy_sqlite(source, target):
    """A consistent copy of a SQLite database that others may be writing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as origin,
        sqlite3.connect(partial) as copy,
    ):
        origin.backup(copy)
    os.replace(partial, target)


def wait_past_last_run(target):
    """Wait until the clock is past the second that names the newest run.

    repozo names its files by the second and restores "as of" a time by
    taking every file named no later; a run restored as of its own name
    would take in the files of a run started within that same second."""
    runs = sorted(p.name for p in (target / "runs").glob("*T*Z"))
    if not runs:
        return
    newest = datetime.strptime(runs[-1], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    while datetime.now(UTC) < newest + timedelta(seconds=1):
        time.sleep(0.05)


def backup(instance, target, full=False, audit_path=None):
    """One backup run into ``target``; returns the run's summary (a dict)."""
    started = time.perf_counter()
    target = Path(target).resolve()
    if not instance.data_fs.exists():
        raise BackupError(f"no database in {instance.var}")
    repository = target / "repozo"
    repository.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    wait_past_last_run(target)
    before = set(os.listdir(repository))
    repozo(
        "-B",
        "-z",
        *(["-F"] if full else []),
        "-r",
        str(repository),
        "-f",
        str(instance.data_fs),
    )
    written = sorted(set(os.listdir(repository)) - before)
    # the run is named after a time no earlier than repozo's files: restoring
    # "as of" it (repozo -D) takes them in
    time.sleep(1)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = target / "runs" / stamp
    run_dir.mkdir(parents=True)
    blobs, blob_bytes = copy_blobs(instance.var / "blobstorage", target / "blobs")
    audit = Path(audit_path) if audit_path else instance.var / "audit" / "audit.sqlite"
    if audit.exists():
        copy_sqlite(audit, run_dir / "audit.sqlite")
    # files that later runs change (the configuration, repozo's .dat log)
    # are kept per run, as they were
    etc = run_dir / "etc"
    etc.mkdir()
    for path in sorted(instance.etc.iterdir()):
        if path.is_file():
            shutil.copy2(path, etc / path.name)
    for path in sorted(repository.glob("*.dat")):
        shutil.copy2(path, run_dir / path.name)
    for name in (
        SECRETS
    ):  # the logins the database's users have (the backup is the owner's only)
        if (instance.var / name).exists():
            shutil.copy2(instance.var / name, run_dir / name)
    shared = [
        path
        for path in sorted(repository.iterdir())
        if path.is_file() and path.suffix != ".dat"
    ]
    shared += [path for path in sorted((target / "blobs").rglob("*")) if path.is_file()]
    files = shared + [path for path in sorted(run_dir.rglob("*")) if path.is_file()]
    # repozo's files and blob files never change once written: their digests
    # are taken from the previous run's manifest, not read again
    known = manifest_digests(target, runs(target)[-2]) if len(runs(target)) > 1 else {}
    fresh = {f"blobs/{name}" for name in blobs}
    unchanging = set(shared)
    lines = []
    for path in files:
        name = str(path.relative_to(target))
        digest = known.get(name) if path in unchanging and name not in fresh else None
        lines.append(f"{digest or sha256_of(path)}  {name}")
    (run_dir / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = {
        "run": stamp,
        "full": full or not before,
        "repozo_files": written,
        "blobs_copied": len(blobs),
        "blob_bytes_copied": blob_bytes,
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (run_dir / "run.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def runs(target):
    directory = Path(target) / "runs"
    return (
        sorted(path.name for path in directory.iterdir()) if directory.is_dir() else []
    )


def manifest_digests(target, run):
    """{file name: SHA-256} of ``run``'s manifest."""
    lines = (
        (Path(target) / "runs" / run / MANIFEST)
        .read_text(encoding="utf-8")
        .splitlines()
    )
    return {
        name: digest for digest, _sep, name in (line.partition("  ") for line in lines)
    }


def check_manifest(target, run):
    """The files of ``run`` that are missing or differ from its manifest."""
    target = Path(target)
    problems = []
    for name, digest in manifest_digests(target, run).items():
        path = target / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif sha256_of(path) != digest:
            problems.append(f"changed: {name}")
    return problems


def restore(target, instance, run=None):
    """Rebuild ``instance`` (a new directory) from the backup ``target`` as
    of ``run`` (default: the latest); returns the run restored."""
    target = Path(target).resolve()
    available = runs(target)
    if not available:
        raise BackupError(f"no backup in {target}")
    run = run or available[-1]
    if run not in available:
        raise BackupError(
            f"no backup run {run} in {target} (runs: {', '.join(available)})"
        )
    if instance.data_fs.exists():
        raise BackupError(
            f"{instance.var} already holds a database: restore into a new directory"
        )
    problems = check_manifest(target, run)
    if problems:
        raise BackupError("the backup is damaged: " + "; ".join(problems[:10]))
    stamp = datetime.strptime(run, "%Y%m%dT%H%M%SZ")
    for sub in ("filestorage", "blobstorage", "log", "cache", "audit"):
        (instance.var / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(instance.var / "blobstorage", 0o700)
    # repozo's -D takes the run's own time: the increments made after it are left out
    repozo(
        "-R",
        "-r",
        str(target / "repozo"),
        "-o",
        str(instance.data_fs),
        "-D",
        stamp.strftime("%Y-%m-%d-%H-%M-%S"),
    )
    copy_blobs(target / "blobs", instance.var / "blobstorage")
    if (target / "runs" / run / "audit.sqlite").exists():
        shutil.copy2(
            target / "runs" / run / "audit.sqlite",
            instance.var / "audit" / "audit.sqlite",
        )
    for name in SECRETS:
        if (target / "runs" / run / name).exists():
            shutil.copy2(target / "runs" / run / name, instance.var / name)
            os.chmod(instance.var / name, 0o600)
    return run
