"""Backup while the site serves, and restore into a new directory.

A served instance under a flow of requests and registrations is backed up
(full, then incremental); after the flow stops a last increment is taken.
Restored from the last run the archive is the same: the same Data.fs byte
for byte, every blob with its SHA-256, fixity and the audit chain intact.
Restored from a run taken under load it is the archive of that moment: a
prefix of the database, every blob it names, fixity and audit intact.
"""

from pathlib import Path
from tests.helpers.cli import clean_env
from tests.helpers.cli import CLI
from tests.helpers.cli import free_port
from tests.helpers.cli import run
from tests.helpers.cli import wait_until_serving
from tests.helpers.load import Load

import hashlib
import json
import signal
import subprocess
import time


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def blobs(var):
    root = Path(var) / "blobstorage"
    return {str(path.relative_to(root)): sha256(path) for path in root.rglob("*.blob")}


def test_backup_under_load_and_restore(tmp_path):
    env = clean_env()
    port = free_port()
    var = tmp_path / "var"
    assert (
        run(
            "init",
            "--var",
            str(var),
            "--port",
            str(port),
            "--demo-cases",
            "15",
            env=env,
        ).returncode
        == 0
    )
    password = (var / "admin-password").read_text().strip()
    site = f"http://127.0.0.1:{port}/xinfang"
    backups = tmp_path / "backups"
    server = subprocess.Popen(
        [CLI, "serve", "--var", str(var)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert wait_until_serving(site, seconds=60)
        load = Load(site, ("admin", password))
        load.start()
        time.sleep(2)
        full = run("backup", "--var", str(var), "--to", str(backups), "--full", env=env)
        assert full.returncode == 0, full.stderr
        time.sleep(3)
        during = run("backup", "--var", str(var), "--to", str(backups), env=env)
        assert during.returncode == 0, during.stderr
        registered = len(load.registered)  # the archive moves on after that run
        deadline = time.monotonic() + 60
        while len(load.registered) == registered and time.monotonic() < deadline:
            time.sleep(0.2)
        load.stop()
        assert len(load.registered) > registered
        assert not load.errors, load.errors[:5]
        assert load.registered
        last = run("backup", "--var", str(var), "--to", str(backups), env=env)
        assert last.returncode == 0, last.stderr
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=120)
    first_run, under_load, final_run = sorted(
        p.name for p in (backups / "runs").iterdir()
    )
    summary = json.loads((backups / "runs" / first_run / "run.json").read_text())
    assert summary["full"] and summary["blobs_copied"] > 0
    assert "备份完成" in full.stdout and str(backups) in full.stdout

    # the last run: the same archive
    restored = tmp_path / "restored"
    result = run("restore", "--from", str(backups), "--var", str(restored), env=env)
    assert result.returncode == 0, result.stderr
    assert final_run in result.stdout
    assert sha256(restored / "filestorage" / "Data.fs") == sha256(
        var / "filestorage" / "Data.fs"
    )
    assert (restored / "admin-password").read_text() == (
        var / "admin-password"
    ).read_text()
    assert oct((restored / "admin-password").stat().st_mode & 0o777) == "0o600"
    assert blobs(restored) == blobs(var)
    for command in (("fixity",), ("audit", "verify")):
        check = run(*command, "--var", str(restored), env=env)
        assert check.returncode == 0, (command, check.stdout, check.stderr)

    # a run taken under load: the archive of that moment
    earlier = tmp_path / "earlier"
    result = run(
        "restore",
        "--from",
        str(backups),
        "--run",
        under_load,
        "--var",
        str(earlier),
        env=env,
    )
    assert result.returncode == 0, result.stderr
    data = (earlier / "filestorage" / "Data.fs").read_bytes()
    assert 0 < len(data) < (var / "filestorage" / "Data.fs").stat().st_size
    assert (var / "filestorage" / "Data.fs").read_bytes()[
        : len(data)
    ] == data  # a prefix: whole transactions
    for command in (("fixity",), ("audit", "verify")):
        check = run(*command, "--var", str(earlier), env=env)
        assert check.returncode == 0, (command, check.stdout, check.stderr)

    # never over a database, and a damaged backup is refused
    again = run("restore", "--from", str(backups), "--var", str(restored), env=env)
    assert again.returncode != 0 and "already holds a database" in again.stderr
    blob = next((backups / "blobs").rglob("*.blob"))
    blob.write_bytes(blob.read_bytes() + b"x")
    damaged = run(
        "restore", "--from", str(backups), "--var", str(tmp_path / "third"), env=env
    )
    assert damaged.returncode != 0 and "changed" in damaged.stderr
    assert not (tmp_path / "third" / "filestorage" / "Data.fs").exists()


def test_a_run_starts_past_the_second_that_names_the_last_one(tmp_path):
    """repozo names its files by the second and a run is restored "as of" its
    name: a run that began within the second naming the one before would be
    taken in by that one's restore.  The next run waits for the next second."""
    from datetime import datetime
    from datetime import timedelta
    from datetime import UTC
    from xinfang_archive.cli.backup import wait_past_last_run

    wait_past_last_run(tmp_path)  # no runs yet: nothing to wait for
    newest = datetime.now(UTC).replace(microsecond=0)
    (tmp_path / "runs" / newest.strftime("%Y%m%dT%H%M%SZ")).mkdir(parents=True)
    (tmp_path / "runs" / "notes.txt").write_text("not a run")
    wait_past_last_run(tmp_path)
    started = datetime.now(UTC)
    assert started >= newest + timedelta(seconds=1)
    assert started.strftime("%Y-%m-%d-%H-%M-%S") > newest.strftime("%Y-%m-%d-%H-%M-%S")
