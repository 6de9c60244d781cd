"""``import --workers N``: the cases imported by N processes at once.

Each worker is ``xinfang-archive import`` again, a client of the instance's
ZEO server (started for the import when the site is not serving), given its
share of the cases; it writes each case all or nothing in batches as a
single import does, retries a batch that conflicts with another writer, and
reports as JSON lines on its standard output (progress, then its report).
The parent plans the files, raises the numbering counters first
(``exchange.parallel.reserve_ahead``), imports the reception days and
screening reports (the workers' cases name them), shows the progress of all, and ends
with what the workers left: cases referring to another share's cases, and
the hearings.  Killed, it is run again: what was committed is skipped.
"""

from pathlib import Path
from xinfang_archive.cli.common import open_site
from xinfang_archive.cli.common import progress_bar
from xinfang_archive.cli.import_options import importer_for
from xinfang_archive.cli.instance import Instance
from xinfang_archive.cli.zeo import serving

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time


def _command(args, plan, share, workers):
    command = [
        sys.executable,
        "-m",
        "xinfang_archive.cli.main",
        "import",
        "--var",
        str(Instance(args.var).var),
        "--site-id",
        args.site_id,
        "--commit-every",
        str(args.commit_every),
        "--max-size",
        str(args.max_size),
        "--worker-plan",
        str(plan),
        "--share",
        f"{share}/{workers}",
    ]
    return command + [str(source) for source in args.sources]


class _Worker:
    def __init__(self, command):
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        self.progress = (0, 0)
        self.report = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # something else wrote to standard output
            if "progress" in message:
                self.progress = tuple(message["progress"])
            elif "report" in message:
                self.report = message["report"]

    def wait(self):
        code = self.process.wait()
        self.reader.join()
        return code


def run_parallel(args, sources):
    """The parent: returns ``(merged report, [messages of failed workers])``."""
    # the import's modules load Plone's: imported when the command runs
    from xinfang_archive.exchange.parallel import merge_reports
    from xinfang_archive.exchange.parallel import report_from_json
    from xinfang_archive.exchange.parallel import reserve_ahead
    from xinfang_archive.retry import commit_retrying

    import transaction

    instance = Instance(args.var)
    started = time.perf_counter()
    with serving(instance), open_site(args) as site:
        planner = importer_for(site, args)
        files = planner.plan(sources)
        commit_retrying(
            lambda: reserve_ahead(site, files, planner.max_bytes),
            f"{planner.note}: numbers reserved",
        )
        # the reception days and screening reports first: the workers' cases name them
        early = importer_for(site, args, early_only=True).run_files(files)
        with tempfile.NamedTemporaryFile(
            "w", suffix=".json", dir=instance.var, delete=False, encoding="utf-8"
        ) as stream:
            json.dump([[str(path), str(base)] for path, base in files], stream)
        workers = []
        try:
            workers = [
                _Worker(_command(args, stream.name, k, args.workers))
                for k in range(args.workers)
            ]
            show = progress_bar(f"导入 import ×{args.workers}")
            while any(worker.process.poll() is None for worker in workers):
                done = sum(worker.progress[0] for worker in workers)
                total = sum(worker.progress[1] for worker in workers)
                if total and done < total:
                    show(done, total)
                time.sleep(0.5)
            codes = [worker.wait() for worker in workers]
            total = sum(worker.progress[1] for worker in workers)
            if total:
                show(total, total)
        finally:
            for worker in workers:
                if worker.process.poll() is None:
                    worker.process.send_signal(signal.SIGTERM)
                    worker.process.wait()
            os.unlink(stream.name)
        reports = [
            report_from_json(worker.report)
            for worker in workers
            if worker.report is not None
        ]
        failed = [
            f"导入进程 {k + 1}/{args.workers} 异常退出 (exit code {code})"
            for k, (worker, code) in enumerate(zip(workers, codes, strict=False))
            if worker.report is None
        ]
        merged = merge_reports([planner.report, early, *reports])
        if not failed:  # the rest: cases waiting for another share's, then the hearings
            transaction.begin()  # this connection sees what the workers committed
            last = importer_for(
                site, args, only={tuple(item) for item in merged.deferred}
            )
            merged = merge_reports([merged, last.run_files(files)])
    merged.deferred = []
    merged.seconds = time.perf_counter() - started
    return merged, failed


def run_worker(args, sources):
    """One worker: its share of the plan's cases; prints JSON lines."""
    from xinfang_archive.exchange.parallel import report_to_json

    share, workers = (int(n) for n in args.share.split("/"))
    files = [
        (Path(path), Path(base))
        for path, base in json.loads(Path(args.worker_plan).read_text("utf-8"))
    ]

    def progress(done, total):
        print(json.dumps({"progress": [done, total]}), flush=True)

    with open_site(args) as site:
        report = importer_for(
            site, args, progress=progress, share=(share, workers)
        ).run_files(files)
    print(
        json.dumps({"report": report_to_json(report)}, ensure_ascii=False), flush=True
    )
    return 0
