"""An import started in the browser: 1,000 cases as a background job, and
how often the job page's progress moves.

    .venv/bin/python benchmarks/browser_import.py [--cases 1000]

The source is what ``benchmarks/exchange.py`` writes (each case with two
versions, its workflow history, two PDF documents and a reply), as a
directory in the server's imports directory.  The job runs as ``@@exchange``
starts it (``jobs.worker.run`` in a thread of its own, on its own
connections, versioning and full-text index on, committed every 50 cases)
into a fresh instance; the main thread reads the job's progress on another
connection every half second, as the job page does when it refreshes.
Prints the time, cases per second, the progress writes of the job and the
distinct values the page saw.
"""

from _site import bench_site
from exchange import write_source
from pathlib import Path

import argparse
import itertools
import shutil
import statistics
import tempfile
import threading
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    source = Path(tempfile.mkdtemp(prefix="xinfang-bench-source-"))
    write_source(source, args.cases, args.cases, prefix="BI")
    try:
        with bench_site() as (app, site):
            run_job(app, site, source, args.cases)
    finally:
        shutil.rmtree(source, ignore_errors=True)


def run_job(app, site, source, count):
    from xinfang_archive.exchange.safexml import DEFAULT_MAX_BYTES
    from xinfang_archive.jobs.imports import import_work
    from xinfang_archive.jobs.records import add_job
    from xinfang_archive.jobs.records import get_job
    from xinfang_archive.jobs.worker import run

    import transaction

    job = add_job(
        site,
        "import",
        "admin",
        {"source": str(source), "name": source.name, "max_bytes": DEFAULT_MAX_BYTES},
    )
    transaction.commit()
    db = site._p_jar.db()
    worker = threading.Thread(
        target=run,
        args=(db, site.getPhysicalPath(), job.id, "admin", import_work(dry_run=False)),
    )
    manager = transaction.TransactionManager()
    reader = db.open(transaction_manager=manager)
    seen, moments = [], []
    started = time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(0.5)
        manager.begin()
        page = get_job(
            reader.root()["Application"].unrestrictedTraverse(site.getPhysicalPath()),
            job.id,
        )
        if not seen or seen[-1] != page.progress.done:
            seen.append(page.progress.done)
            moments.append(time.perf_counter() - started)
    seconds = time.perf_counter() - started
    manager.begin()
    job = get_job(
        reader.root()["Application"].unrestrictedTraverse(site.getPhysicalPath()),
        job.id,
    )
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    print(
        f"browser import of {count} cases: {job.state}, {seconds:.1f} s, {count / seconds:.1f} cases/s"
    )
    print("  " + " | ".join(job.lines[:1]))
    print(
        f"  progress: {job.progress.updates} writes by the job; the page saw {len(seen)} "
        f"distinct values (median {statistics.median(gaps) if gaps else 0:.1f} s apart, "
        f"longest {max(gaps) if gaps else 0:.1f} s)"
    )
    reader.close()


if __name__ == "__main__":
    main()
