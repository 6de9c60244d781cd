"""The command line on a real instance: init (twice), the admin login, serve, --help."""

from tests.helpers.cli import clean_env
from tests.helpers.cli import CLI
from tests.helpers.cli import free_port
from tests.helpers.cli import get_json
from tests.helpers.cli import run
from tests.helpers.cli import status
from tests.helpers.cli import wait_until_serving
from xinfang_archive.demo.staff import FIRST_LOGINS

import base64
import json
import os
import pytest
import stat
import subprocess
import sys
import urllib.error
import urllib.request


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["serve"],
        ["demo"],
        ["reindex"],
        ["verify-index"],
        ["fixity"],
        ["audit"],
        ["audit", "verify"],
        ["audit", "export"],
        ["file"],
        ["pack"],
        ["import"],
        ["export"],
        ["verify-package"],
        ["backup"],
        ["restore"],
        ["schedule"],
    ],
)
def test_help_everywhere(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: xinfang-archive" in result.stdout


def test_init_twice_then_serve(tmp_path):
    """A new instance serves through ZEO; --storage file serves without it."""
    env = clean_env()
    port = free_port()
    var = tmp_path / "var"
    first = run(
        "init", "--var", str(var), "--port", str(port), "--demo-cases", "12", env=env
    )
    assert first.returncode == 0, first.stderr
    assert f"http://127.0.0.1:{port}/xinfang" in first.stdout
    password_file = var / "admin-password"
    password = password_file.read_text().strip()
    assert f"admin / {password}" in first.stdout
    assert len(password) >= 16
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert (var / "filestorage" / "Data.fs").exists() and (var / "blobstorage").is_dir()

    logins_file = var / "demo-logins.tsv"
    assert str(logins_file) in first.stdout
    assert stat.S_IMODE(logins_file.stat().st_mode) == 0o600
    logins = dict(line.split("\t")[:2] for line in logins_file.read_text().splitlines())
    assert {
        "registrar",
        "archivist",
        "archivist2",
        "inspector",
        "organizer",
        "handler-jsj",
        "head-cxx",
    } <= set(logins)
    # one login per role is shown once, the others stay in the file
    shown = set(first.stdout.split())
    assert {logins[user_id] for user_id in FIRST_LOGINS} <= shown
    assert logins["head-cxx"] not in shown

    second = run("init", "--var", str(var), "--port", str(port), env=env)
    assert second.returncode == 0, second.stderr
    assert "已就绪" in second.stdout and password in second.stdout
    assert not set(logins.values()) & set(second.stdout.split())

    chosen = "chosen-" + password[::-1]
    third = run(
        "init",
        "--var",
        str(var),
        "--port",
        str(port),
        env={**env, "XINFANG_ADMIN_PASSWORD": chosen},
    )
    assert third.returncode == 0, third.stderr
    assert "XINFANG_ADMIN_PASSWORD" in third.stdout

    server = subprocess.Popen(
        [CLI, "serve", "--var", str(var)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        site = f"http://127.0.0.1:{port}/xinfang"
        assert wait_until_serving(site, seconds=30)
        with urllib.request.urlopen(site, timeout=10) as response:
            assert (
                "++theme++barceloneta" in response.read().decode()
            )  # themed on 127.0.0.1
        assert status(site + "/cases") in (302, 401)  # anonymous: no cases
        assert status(site + "/cases", "admin", chosen) == 200
        assert status(site + "/cases", "admin", password) in (302, 401)
        assert (
            status(
                site + "/++api++/cases/@search?portal_type=PetitionCase",
                "admin",
                chosen,
            )
            == 200
        )
        # need-to-know by unit: a unit's handler lists its unit's cases only
        search = (
            site
            + "/++api++/cases/@search?portal_type=PetitionCase&metadata_fields=case_unit"
        )
        everything = get_json(search, "admin", chosen)["items"]
        units = {item["case_unit"] for item in everything if item["case_unit"]}
        assert units
        unit = sorted(units)[0]
        mine = get_json(
            search, f"handler-{unit.lower()}", logins[f"handler-{unit.lower()}"]
        )["items"]
        assert mine and {item["case_unit"] for item in mine} == {unit}
        assert len(get_json(search, "head-cxx", logins["head-cxx"])["items"]) == len(
            [item for item in everything if item["case_unit"]]
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    # Without ZEO (--storage file) the web server opens the database alone.
    alone = run(
        "init", "--var", str(var), "--port", str(port), "--storage", "file", env=env
    )
    assert alone.returncode == 0, alone.stderr
    assert not (var / "instance" / "etc" / "zeo.conf").exists()
    locked = subprocess.Popen(
        [CLI, "serve", "--var", str(var)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert wait_until_serving(site, seconds=60)
        assert not (var / "zeo.sock").exists()
        busy = run("demo", "--var", str(var), "--cases", "1", env=env)
        assert busy.returncode != 0
        assert "in use" in busy.stderr
    finally:
        locked.terminate()
        locked.wait(timeout=30)


def test_search_index_verify_repair_and_rebuild(tmp_path):
    """The index of a real instance: verified against the catalog, repaired
    after losing documents, rebuilt after being corrupted."""
    import shutil

    env = clean_env()
    var = tmp_path / "var"
    port = free_port()
    created = run(
        "init",
        "--var",
        str(var),
        "--port",
        str(port),
        "--demo-cases",
        "4",
        "--seed",
        "3",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    index = var / "search-index" / "tantivy" / "index"
    assert index.is_dir()

    clean = run("verify-index", "--var", str(var), env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "index is up to date" in clean.stdout

    shutil.rmtree(index)
    lost = run("verify-index", "--var", str(var), env=env)
    assert lost.returncode == 1
    assert "missing from the index: 0" not in lost.stdout
    repaired = run("verify-index", "--var", str(var), "--fix", env=env)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "now up to date" in repaired.stdout

    for path in index.iterdir():
        if path.is_file():
            path.write_bytes(b"garbage")
    rebuilt = run("reindex", "--var", str(var), env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "reindexed" in rebuilt.stdout
    assert list((var / "search-index" / "tantivy").glob("index.broken-*"))
    assert run("verify-index", "--var", str(var), env=env).returncode == 0

    # lost while the server was down: serve rebuilds it before serving
    shutil.rmtree(index)
    password = (var / "admin-password").read_text().strip()
    server = subprocess.Popen(
        [CLI, "serve", "--var", str(var)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        site = f"http://127.0.0.1:{port}/xinfang"
        assert wait_until_serving(site, seconds=60)
        search = site + "/++api++/@archive-search?q=%E4%BF%A1%E8%AE%BF"  # 信访
        request = urllib.request.Request(search)
        token = base64.b64encode(f"admin:{password}".encode()).decode()
        request.add_header("Authorization", "Basic " + token)
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read().decode())
        assert answer["items_total"] > 0 and answer["engine"] == "tantivy"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "rebuilding the search index" in output


BLOB_PATHS = """
import sys
from Acquisition import aq_base
from types import SimpleNamespace
from xinfang_archive.archival.numbering import all_groups
from xinfang_archive.archival.fixity import _object_for
from xinfang_archive.cli.common import open_site as _site

with _site(SimpleNamespace(var=sys.argv[1], site_id="xinfang")) as site:
    for key, group in sorted(all_groups(site).items()):
        for number, uid in group.items.items():
            case = _object_for(uid)
            if not getattr(aq_base(case), "archival_manifest", None):
                continue  # a tombstone: the record was destroyed
            for entry in case.archival_manifest:
                if entry["field"] != "metadata":
                    obj = case.unrestrictedTraverse(entry["path"])
                    blob = getattr(obj, entry["field"])._blob
                    print(case.archival_code, entry["path"], blob.committed())
"""


def test_fixity_tells_a_changed_blob_from_a_missing_one(tmp_path):
    """On a real FileStorage: the demo files the closed cases of earlier
    years; one blob file is corrupted, another deleted; fixity says which."""
    env = clean_env()
    var = tmp_path / "var"
    created = run(
        "init",
        "--var",
        str(var),
        "--port",
        str(free_port()),
        "--demo-cases",
        "25",
        "--seed",
        "3",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    intact = run("fixity", "--var", str(var), env=env)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert " 0 changed, 0 missing" in intact.stdout

    listed = subprocess.run(
        [sys.executable, "-c", BLOB_PATHS, str(var)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert listed.returncode == 0, listed.stderr
    files = [line.split(" ", 2) for line in listed.stdout.splitlines()]
    assert len(files) >= 2
    (
        (changed_code, changed_doc, changed_path),
        (missing_code, missing_doc, missing_path),
    ) = files[0], files[-1]
    os.chmod(changed_path, 0o644)
    with open(changed_path, "r+b") as stream:
        stream.write(b"tampered")
    os.remove(missing_path)

    report = run("fixity", "--var", str(var), env=env)
    assert report.returncode == 1
    out = report.stdout
    assert " 1 changed, 1 missing" in out
    changed_section = out.split("CHANGED (1):")[1]
    missing_section = out.split("MISSING (1):")[1].split("CHANGED")[0]
    assert changed_code in changed_section and changed_doc in changed_section
    assert missing_code in missing_section and missing_doc in missing_section

    # packing keeps what is filed (and the problems stay what they are)
    packed = run("pack", "--var", str(var), env=env)
    assert packed.returncode == 0 and "packed" in packed.stdout, packed.stderr
    again = run("fixity", "--var", str(var), env=env)
    assert again.returncode == 1 and " 1 changed, 1 missing" in again.stdout
    # batch filing from the command line needs a real archivist
    refused = run(
        "file", "--var", str(var), "--year", "2024", "--archivist", "admin", env=env
    )
    assert refused.returncode == 2 and "not an archivist" in refused.stderr

    # the runs are recorded in the site's audit trail, which still verifies
    trail = run("audit", "verify", "--var", str(var), env=env)
    assert trail.returncode == 0, trail.stdout
    exported = run("audit", "export", "--var", str(var), "--action", "fixity", env=env)
    assert exported.stdout.count("fixity") >= 3


def test_audit_verify_gives_one_clear_line_for_bad_input(tmp_path):
    not_sqlite = tmp_path / "audit.sqlite"
    not_sqlite.write_text("这不是数据库")
    env = clean_env(XINFANG_AUDIT_LOG=str(not_sqlite))
    result = run("audit", "verify", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "SQLite" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    from xinfang_archive.audit.store import AuditStore

    trail = tmp_path / "trail.sqlite"
    AuditStore(trail).add(actor="admin", action="login")
    env = clean_env(XINFANG_AUDIT_LOG=str(trail))
    for head in ("abc", "1:xyz", "x:" + "0" * 64):
        result = run("audit", "verify", "--expected-head", head, env=env)
        assert result.returncode == 2 and "Traceback" not in result.stderr, head
        assert (
            "SEQ:HASH" in result.stderr and len(result.stderr.strip().splitlines()) == 1
        )
    assert run("audit", "verify", env=env).returncode == 0


def test_serve_says_why_the_zeo_server_cannot_start(tmp_path):
    """A command that opened the database directly (no server was running)
    holds its lock: serve says so instead of waiting for a server that
    stopped."""
    import ZODB.FileStorage

    var = tmp_path / "var"
    made = run(
        "init", "--var", str(var), "--port", str(free_port()), "--demo-cases", "0"
    )
    assert made.returncode == 0, made.stderr
    held = ZODB.FileStorage.FileStorage(
        str(var / "filestorage" / "Data.fs"), blob_dir=str(var / "blobstorage")
    )
    try:
        result = run("serve", "--var", str(var))
    finally:
        held.close()
    assert result.returncode == 2
    assert (
        "the ZEO server stopped at start" in result.stderr
        and "LockError" in result.stderr
    )
    assert not (var / "zeo.sock").exists()
