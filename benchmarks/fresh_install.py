"""Fresh clone to serving site: install time and first-start time.

    .venv/bin/python benchmarks/fresh_install.py [--demo-cases 200] [--keep]

Clones this repository (its committed HEAD) into a temporary directory and
times, as a new user would live them:
1. ``make install``: virtualenv + the pinned set of ~310 distributions
   (pip's download cache on this machine makes a re-run faster than a first
   install on a new machine: the figure says which it was);
2. ``xinfang-archive init``: instance, admin user, Plone site with the
   add-on and demo cases;
3. ``xinfang-archive serve`` until the site answers HTTP 200.
"""
from pathlib import Path

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request


ROOT = Path(__file__).resolve().parent.parent


def timed(label, cmd, cwd, env):
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.1f} s", flush=True)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-cases", type=int, default=200)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="xinfang-fresh-"))
    clone = workdir / "xinfang_archive"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "XINFANG_ARCHIVE_VAR")}
    cached = Path.home().joinpath(".cache", "pip").exists()
    server = None
    try:
        install = timed("make install", ["make", "install"], clone, env)
        init = timed(
            f"xinfang-archive init (site + {args.demo_cases} demo cases)",
            [".venv/bin/xinfang-archive", "init", "--port", str(args.port), "--demo-cases", str(args.demo_cases)],
            clone, env,
        )
        started = time.perf_counter()
        server = subprocess.Popen(
            [".venv/bin/xinfang-archive", "serve"], cwd=clone, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{args.port}/xinfang"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    sys.exit("the server stopped")
                time.sleep(0.2)
        serve = time.perf_counter() - started
        print(f"serve until {url} answers 200: {serve:.1f} s")
        print(f"fresh clone to serving site: {install + init + serve:.1f} s "
              f"(install {install:.0f} s{' with a warm pip cache' if cached else ''}, "
              f"first start {init + serve:.0f} s)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
