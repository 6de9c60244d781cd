"""The code base keeps its shape: ruff's rules and format, the layers that
import-linter checks, and no import cycle (all in pyproject.toml)."""

from pathlib import Path

import grimp
import pytest
import subprocess
import sys
import tomllib


ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "xinfang_archive"
# The layers above the domain: views, REST services, the command line and the
# control panel (whose settings schema the domain may read).
UI_LAYERS = {"browser", "services", "cli", "controlpanel"}


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=False, cwd=ROOT)


def test_ruff_finds_nothing():
    result = run(
        sys.executable, "-m", "ruff", "check", "--no-fix", "--no-cache",
        "--output-format", "concise", str(ROOT),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_code_is_formatted():
    result = run(
        sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(ROOT)
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = run(
        str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def graph():
    """The package's import graph (every import, inside functions too)."""
    return grimp.build_graph(PACKAGE, include_external_packages=False)


def test_every_package_is_in_a_layer(graph):
    """A new package cannot slip past the contract by not being listed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    domain = {name.split(".")[1] for name in contract["source_modules"]}
    top = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    assert top - UI_LAYERS - domain == set()
    assert domain & UI_LAYERS == set()


def test_no_import_cycle(graph):
    """No module imports, directly or not, a module that imports it back
    (imports inside functions count too)."""
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.append(" → ".join((importer, *back)))
    assert cycles == []
