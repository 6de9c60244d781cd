"""Write buildout.cfg's [versions] section from constraints.txt.

constraints.txt is the single source of the pins; buildout.cfg must use the
same ones (tests/test_packaging.py checks they agree).
"""

from pathlib import Path

import re


ROOT = Path(__file__).resolve().parent.parent
MARKER = "[versions]"


def pins(text):
    result = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)$", line)
        if match:
            result[match.group(1)] = match.group(2)
    return result


def main():
    constraints = pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    buildout = ROOT / "buildout.cfg"
    head = buildout.read_text(encoding="utf-8").split("\n" + MARKER + "\n", 1)[0] + "\n"
    lines = [
        MARKER,
        "# Generated from constraints.txt by tools/sync_versions.py (make versions).",
    ]
    lines += [
        f"{name} = {version}"
        for name, version in sorted(constraints.items(), key=lambda kv: kv[0].lower())
    ]
    buildout.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(constraints)} pins written to {buildout.name}")


if __name__ == "__main__":
    main()
