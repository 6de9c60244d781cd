"""Import of N cases with 1 and with several workers (``import --workers``),
through the command line, each into a fresh instance: cases per second,
per worker, and what bounds it.

    .venv/bin/python benchmarks/parallel_import.py [--cases 10000] [--workers 1,2] [--per-file 500] [--keep DIR]

The source is the one of ``benchmarks/exchange.py`` (two versions, two PDF
documents and a reply per case, files beside the XML), written first (not
timed).  One worker is the plain ``import`` (FileStorage opened directly);
N > 1 starts the instance's ZEO server for the import.  The time is the
command's wall time (Zope's start included).  ``--keep DIR`` keeps the
instance of the last run (made there) (e.g. for ``benchmarks/backup.py --var DIR``).
"""

from exchange import write_source
from pathlib import Path

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


CLI = str(Path(sys.executable).parent / "xinfang-archive")
GOAL_CASES_PER_SECOND = 50


def environment():
    env = dict(os.environ)
    env.pop("XINFANG_ARCHIVE_VAR", None)
    return env


def run(*args, env):
    result = subprocess.run([CLI, *args], env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(
            f"{args[0]} failed ({result.returncode}): {result.stdout[-2000:]} {result.stderr[-2000:]}"
        )
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument(
        "--workers", default="1,2", help="comma-separated worker counts"
    )
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--keep", help="keep the last instance in this directory")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="xinfang-pimport-"))
    env = environment()
    try:
        source = root / "source"
        started = time.perf_counter()
        write_source(source, args.cases, args.per_file)
        print(
            f"source: {args.cases} cases in {len(list(source.glob('*.xml')))} files, written in "
            f"{time.perf_counter() - started:.0f} s (not timed)",
            flush=True,
        )
        counts = [int(n) for n in args.workers.split(",")]
        for workers in counts:
            kept = args.keep and workers == counts[-1]
            var = Path(args.keep).resolve() if kept else root / f"instance-{workers}"
            run("init", "--var", str(var), "--demo-cases", "0", env=env)
            options = ["--workers", str(workers)] if workers > 1 else []
            started = time.perf_counter()
            out = run("import", "--var", str(var), str(source), *options, env=env)
            seconds = time.perf_counter() - started
            imported = int(re.search(r"imported: (\d+) 件信访件", out).group(1))
            failed = int(re.search(r"failed (\d+)", out).group(1))
            rate = imported / seconds
            size = (var / "filestorage" / "Data.fs").stat().st_size / 1e6
            print(
                f"{workers} worker(s): {imported} cases in {seconds:.0f} s: {rate:.1f} cases/s, "
                f"{rate / workers:.1f} per worker (goal >= {GOAL_CASES_PER_SECOND}: "
                f"{'met' if rate >= GOAL_CASES_PER_SECOND else 'NOT met'}); failed {failed}; "
                f"Data.fs {size:.0f} MB",
                flush=True,
            )
            if kept:
                print(f"instance kept in {var}")
            else:
                shutil.rmtree(var)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
