"""Fresh clone to serving site: install time and first-start time.

    .venv/bin/python benchmarks/fresh_install.py [--demo-cases 200] [--keep]

Clones this repository (its committed HEAD) into a temporary directory and
times, as a new user would live them:
1. ``make install``: virtualenv + the pinned set of ~310 distributions,
   with pip's cache emptied: a private, empty ``PIP_CACHE_DIR`` in the
   temporary directory, as on a new machine (``--warm-cache`` uses this
   machine's own cache instead); what it downloaded is read from the
   network interfaces' counters (nothing else should download meanwhile);
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


def timed(label, cmd, cwd, env, show=False):
    """Run ``cmd``; with ``show``, print what it printed (less progress bars)."""
    started = time.perf_counter()
    done = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{label} failed:\n{done.stdout}")
    print(f"{label}: {elapsed:.1f} s", flush=True)
    if show:
        for line in done.stdout.replace("\r", "\n").splitlines():
            if line.strip() and "[" not in line[:40]:
                print(f"  | {line}")
    return elapsed


def received_bytes():
    """Bytes received by the machine's network interfaces (loopback left out)."""
    total = 0
    for line in Path("/proc/net/dev").read_text().splitlines()[2:]:
        name, counters = line.split(":", 1)
        if name.strip() != "lo":
            total += int(counters.split()[0])
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-cases", type=int, default=200)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--warm-cache", action="store_true", help="use this machine's pip cache"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="xinfang-fresh-"))
    clone = workdir / "xinfang_archive"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "XINFANG_ARCHIVE_VAR")
    }
    cache = workdir / "pip-cache"
    if not args.warm_cache:
        env.pop("PIP_NO_CACHE_DIR", None)
        env["PIP_CACHE_DIR"] = str(cache)
    server = None
    try:
        received = received_bytes()
        install = timed("make install", ["make", "install"], clone, env)
        received = received_bytes() - received
        installed = sum(
            f.stat().st_size for f in (clone / ".venv").rglob("*") if f.is_file()
        )
        print(
            f"  received over the network meanwhile: {received / 2**20:.0f} MiB; "
            f".venv: {installed / 2**20:.0f} MiB",
            flush=True,
        )
        init = timed(
            f"xinfang-archive init (site + {args.demo_cases} demo cases)",
            [
                ".venv/bin/xinfang-archive",
                "init",
                "--port",
                str(args.port),
                "--demo-cases",
                str(args.demo_cases),
            ],
            clone,
            env,
            show=True,
        )
        started = time.perf_counter()
        server = subprocess.Popen(
            [".venv/bin/xinfang-archive", "serve"],
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
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
        print(
            f"fresh clone to serving site: {install + init + serve:.1f} s "
            f"(install {install:.0f} s{' with a warm pip cache' if args.warm_cache else ' with an empty pip cache'}, "
            f"first start {init + serve:.0f} s)"
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
