"""The code base keeps its shape: ruff's rules and format (pyproject.toml)."""

from pathlib import Path

import subprocess
import sys


ROOT = Path(__file__).resolve().parent.parent


def ruff(*args):
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_ruff_finds_nothing():
    result = ruff("check", "--no-fix", "--output-format", "concise")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_code_is_formatted():
    result = ruff("format", "--check")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
