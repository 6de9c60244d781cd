"""Backup while serving, and restore: seconds and megabytes.

    .venv/bin/python benchmarks/backup.py [--var DIR] [--cases 10000] [--users 4]

Makes (or reuses, with ``--var``) an instance with demo cases, serves it,
keeps ``--users`` users busy on it (the mix of ``benchmarks/load.py``), and
meanwhile times a full backup, then an incremental one; then stops the
server and times a restore into a new directory.  Prints the seconds, the
backup's size and what each run copied.
"""

from load import free_port
from load import listed_case_urls
from load import prepare
from load import run_load
from load import serve
from pathlib import Path

import argparse
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time


CLI = str(Path(sys.executable).parent / "xinfang-archive")


def size_of(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def timed(*args, env):
    started = time.perf_counter()
    result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{args[0]} failed: {result.stderr[-2000:]}")
    return time.perf_counter() - started, result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--var",
        help="instance directory (kept and reused; default: a new temporary one)",
    )
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--users", type=int, default=4)
    args = parser.parse_args()
    base = Path(args.var or tempfile.mkdtemp(prefix="xf-backup-"))
    var = base / "var"
    port = free_port()
    env, auth = prepare(var, args.cases, port)
    site = f"http://127.0.0.1:{port}/xinfang"
    target = Path(tempfile.mkdtemp(prefix="xf-backups-"))
    data_fs = var / "filestorage" / "Data.fs"
    print(
        f"archive: Data.fs {data_fs.stat().st_size / 1e6:.1f} MB, blobs {size_of(var / 'blobstorage') / 1e6:.1f} MB"
    )
    server = serve(var, env, 1, site)
    try:
        case_urls = listed_case_urls(site, auth)
        outcome = {}
        load = threading.Thread(
            target=lambda: outcome.update(
                result=run_load(site, auth, case_urls, args.users, 60, seed=1)
            ),
            daemon=True,
        )
        load.start()
        full, out = timed(
            "backup", "--var", str(var), "--to", str(target), "--full", env=env
        )
        print(
            f"full backup while serving ({args.users} users busy): {full:.1f} s, "
            f"backup now {size_of(target) / 1e6:.1f} MB\n  {out}"
        )
        time.sleep(10)
        incremental, out = timed(
            "backup", "--var", str(var), "--to", str(target), env=env
        )
        print(f"incremental backup while serving: {incremental:.1f} s\n  {out}")
        load.join()
        rate, _times, errors = outcome["result"]
        print(
            f"meanwhile the users were served {rate:.1f} requests/s with {len(errors)} errors"
        )
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=120)
    restored = Path(tempfile.mkdtemp(prefix="xf-restored-")) / "var"
    seconds, out = timed(
        "restore", "--from", str(target), "--var", str(restored), env=env
    )
    print(
        f"restore: {seconds:.1f} s (Data.fs {(restored / 'filestorage' / 'Data.fs').stat().st_size / 1e6:.1f} MB)"
    )
    runs = sorted((target / "runs").iterdir())
    print(
        json.dumps(
            [json.loads((run / "run.json").read_text()) for run in runs], indent=1
        )
    )


if __name__ == "__main__":
    main()
