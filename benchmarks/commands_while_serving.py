"""Commands that write while the site serves and registers: seconds each.

    .venv/bin/python benchmarks/commands_while_serving.py [--var DIR] [--cases 20]
                                                          [--users 1] [--processes 2]

Makes (or reuses, with ``--var``) an instance with demo cases, serves it
(``serve --processes P``: a ZEO server and P application processes), keeps
K users working on it (the load benchmark's mix, a registration every 20
requests of theirs), and meanwhile runs the commands that write the most:
``demo --cases 4`` (cases, meetings, accountability records, warnings),
``fixity`` and ``file``.  Prints each command's seconds and the registrations
the web committed meanwhile; a command that waits on the busy site says so
on its console (shown here).  Each unit of a command that meets a conflict
is done again on a view of the database begun after its pause
(``retry.commit_retrying``): before that, a unit's view was as old as its
pause, and ``demo`` took minutes or gave up.
"""

from load import free_port
from load import listed_case_urls
from load import prepare
from load import serve
from load import User
from pathlib import Path

import argparse
import itertools
import random
import signal
import subprocess
import sys
import tempfile
import time


CLI = str(Path(sys.executable).parent / "xinfang-archive")
COMMANDS = (
    ("demo", "--cases", "4", "--seed", "7"),
    ("fixity",),
    ("file", "--year", time.strftime("%Y"), "--archivist", "archivist"),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var", help="instance directory (kept and reused)")
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--users", type=int, default=1)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    var = Path(args.var or tempfile.mkdtemp(prefix="xf-commands-")) / "var"
    port = free_port()
    env, auth = prepare(var, args.cases, port)
    site = f"http://127.0.0.1:{port}/xinfang"
    server = serve(var, env, args.processes, site)
    try:
        case_urls = listed_case_urls(site, auth)
        counter, sequence = itertools.count(1), itertools.count(1)
        crowd = [
            User(
                site,
                auth,
                case_urls,
                time.monotonic() + 86400,
                random.Random(k),
                counter,
                sequence,
            )
            for k in range(args.users)
        ]
        for user in crowd:
            user.start()
        time.sleep(2)
        for command in COMMANDS:
            before = sum(len(user.times["registration"]) for user in crowd)
            started = time.perf_counter()
            result = subprocess.run(
                [CLI, *command, "--var", str(var)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - started
            during = sum(len(user.times["registration"]) for user in crowd) - before
            print(
                f"{' '.join(command):45s} {seconds:7.1f} s  exit {result.returncode}  "
                f"{during} registrations on the web meanwhile",
                flush=True,
            )
            for line in result.stderr.splitlines():
                if "网站正忙" in line or "Error" in line:
                    print(f"    {line.strip()[-160:]}")
        for user in crowd:
            user.until = 0
        for user in crowd:
            user.join()
        errors = [error for user in crowd for error in user.errors]
        print(
            f"web requests: {sum(map(len, (u.times[k] for u in crowd for k in u.times)))}, "
            f"errors: {len(errors)}"
        )
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=120)


if __name__ == "__main__":
    main()
