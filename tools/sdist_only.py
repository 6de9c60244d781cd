"""List the pinned distributions that the package index serves only as a
source distribution (no wheel for Python 3.11 on this platform).

    .venv/bin/python tools/sdist_only.py            # ask the index (pip --dry-run)
    .venv/bin/python tools/sdist_only.py --check    # and compare with constraints.txt
    .venv/bin/python tools/sdist_only.py --report .venv/install-report.json

pip builds such a distribution on the user's machine, and the build is where
fresh installs break: bagit 1.9.0 takes its version from setuptools_scm and
came out as 0.0.0 when built without build isolation, which a wheel left in a
warm pip cache hid for months.  constraints.txt names the known ones in
``# sdist-only:`` lines; ``--check`` fails when the index and that list
disagree, so that a new one is seen (and its build tried on an empty cache)
before it breaks an install.

The answer comes from pip itself: a dry-run install of every pin, without
dependencies and ignoring what is installed, resolved the way a fresh install
resolves it; its report names the file each pin would come from.  pip runs
with ``--isolated`` so that this machine's own configuration (extra indexes,
find-links, a warm cache) cannot answer in the index's place.
"""

from pathlib import Path

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from sync_versions import pins  # noqa: E402


DECLARED = re.compile(r"^#\s*sdist-only:\s*(.+)$")


def declared(text):
    """Names listed in ``# sdist-only: a, b`` lines of constraints.txt."""
    names = set()
    for line in text.splitlines():
        match = DECLARED.match(line.strip())
        if match:
            names.update(n.strip() for n in match.group(1).split(",") if n.strip())
    return {canonical(n) for n in names}


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def from_reports(paths):
    """{canonical name: (name, version)} of the items of pip ``--report``
    files whose file is not a wheel (local and editable installs left out)."""
    found = {}
    for path in paths:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        for item in report.get("install", ()):
            url = item.get("download_info", {}).get("url", "")
            if not url or url.startswith("file:") or url.endswith(".whl"):
                continue
            meta = item["metadata"]
            found[canonical(meta["name"])] = (meta["name"], meta["version"])
    return found


def resolve(constraints, python=sys.executable, workers=4):
    """Ask the index, through pip, which file each pin would install (the
    pins split over ``workers`` pip processes: pip asks the index one
    project at a time)."""
    from concurrent.futures import ThreadPoolExecutor

    names = sorted(constraints)
    chunks = [names[i::workers] for i in range(workers)]
    with tempfile.TemporaryDirectory(prefix="sdist-only-") as tmp:

        def run(index):
            requirements = Path(tmp, f"requirements-{index}.txt")
            requirements.write_text(
                "".join(f"{n}=={constraints[n]}\n" for n in chunks[index]),
                encoding="utf-8",
            )
            report = Path(tmp, f"report-{index}.json")
            env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
            env["PIP_CACHE_DIR"] = str(Path(tmp, f"cache-{index}"))
            command = [python, "-m", "pip", "--isolated", "--disable-pip-version-check"]
            # The machine's CA bundle, if it names one, is still needed to reach the index.
            if os.environ.get("PIP_CERT"):
                command += ["--cert", os.environ["PIP_CERT"]]
            command += [
                "install",
                "--dry-run",
                "--ignore-installed",
                "--no-deps",
                "--quiet",
                "--report",
                str(report),
                "-r",
                str(requirements),
            ]
            subprocess.run(command, check=True, env=env)
            return report

        with ThreadPoolExecutor(workers) as pool:
            reports = list(pool.map(run, range(len(chunks))))
        return from_reports(reports)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when the index and the sdist-only lines of constraints.txt disagree",
    )
    parser.add_argument(
        "--report",
        nargs="+",
        metavar="FILE",
        help="read pip --report files of an install instead of asking the index",
    )
    args = parser.parse_args(argv)

    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    constraints = pins(text)
    found = from_reports(args.report) if args.report else resolve(constraints)
    for name, version in sorted(found.values(), key=lambda nv: canonical(nv[0])):
        print(f"{name}=={version}")
    print(
        f"{len(found)} of {len(constraints)} pinned distributions are served only as a source distribution",
        file=sys.stderr,
    )
    if args.check:
        known = declared(text)
        new = sorted(set(found) - known)
        gone = sorted(known - set(found)) if not args.report else []
        for name in new:
            print(
                f"NEW: {name} has no wheel: try its build on an empty pip cache, "
                "then add it to a '# sdist-only:' line of constraints.txt",
                file=sys.stderr,
            )
        for name in gone:
            print(
                f"GONE: {name} now has a wheel: remove it from the '# sdist-only:' line",
                file=sys.stderr,
            )
        return 1 if new or gone else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
