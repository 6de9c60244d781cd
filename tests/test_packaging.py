"""Packaging: pins agree between pip and buildout; the wheel is complete."""

from pathlib import Path

import configparser
import pytest
import subprocess
import sys
import zipfile


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from sync_versions import pins  # noqa: E402


def test_buildout_uses_the_constraints_pins():
    constraints = pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    parser = configparser.RawConfigParser()
    parser.optionxform = str
    parser.read(ROOT / "buildout.cfg", encoding="utf-8")
    versions = dict(parser.items("versions"))
    assert versions == constraints


def test_constraints_hold_the_known_traps():
    constraints = pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    assert constraints["plone.app.layout"] == "6.0.2"
    assert constraints["Plone"].startswith("6.2.")
    assert int(constraints["setuptools"].split(".")[0]) < 82


def test_pins_served_only_as_source_are_declared():
    """Every pin the index has no wheel for (pip builds it on the user's
    machine, where fresh installs break) is named on the ``# sdist-only:``
    line of constraints.txt, and nothing else is: asked of the index through
    pip, as a fresh install resolves it (tools/sdist_only.py)."""
    from sdist_only import declared
    from sdist_only import resolve

    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    found = resolve(pins(text))
    assert set(found) == declared(text)
    assert {"bagit", "jieba"} <= set(found)


def test_installed_versions_match_the_pins():
    """What is installed here is the tested set the constraints describe."""
    from importlib.metadata import version

    constraints = pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    for name in (
        "Plone",
        "Products.CMFPlone",
        "plone.app.layout",
        "plone.restapi",
        "Zope",
    ):
        assert version(name) == constraints[name], name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (path,) = out.glob("xinfang_archive-*.whl")
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


def test_wheel_carries_profiles_and_zcml(wheel):
    profile_files = {
        str(p.relative_to(ROOT)).replace("profiles/", "xinfang_archive/profiles/", 1)
        for p in (ROOT / "profiles").rglob("*")
        if p.is_file()
    }
    assert profile_files, "no profile files found"
    assert profile_files <= wheel, profile_files - wheel
    zcml = {
        str(p.relative_to(ROOT / "src"))
        for p in (ROOT / "src" / "xinfang_archive").rglob("*.zcml")
    }
    assert zcml <= wheel, zcml - wheel
    assert "xinfang_archive/locales/zh_CN/LC_MESSAGES/xinfang_archive.po" in wheel


def test_wheel_carries_templates(wheel):
    templates = {
        str(p.relative_to(ROOT / "src"))
        for p in (ROOT / "src" / "xinfang_archive").rglob("*.pt")
    }
    assert templates <= wheel, templates - wheel
