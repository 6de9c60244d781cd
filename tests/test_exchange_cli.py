"""export, verify-package and import on real instances (FileStorage + blobs):
a demo archive moved whole into an empty one, a package tampered with, and
an import killed in the middle and run again."""

from lxml import etree
from pathlib import Path
from tests.helpers.cli import clean_env
from tests.helpers.cli import CLI
from tests.helpers.cli import run

import bagit
import os
import pytest
import shutil
import signal
import subprocess
import sys
import time


CATALOG_REQUEST_PROBE = """
import sys
from Acquisition import aq_get
from xinfang_archive.cli.app import zope_app
from xinfang_archive.cli.instance import Instance
from zope.globalrequest import getRequest

with zope_app(Instance(sys.argv[1])) as app:
    catalog = app.unrestrictedTraverse("xinfang/portal_catalog")
    index = catalog._catalog.getIndex("registration_number")
    print("same request" if getRequest() is aq_get(index, "REQUEST") else "other request")
"""


def comparable(path):
    root = etree.parse(str(path)).getroot()
    root.attrib.pop("created", None)
    return etree.tostring(root, encoding="unicode")


def records(package):
    data = Path(package) / "data"
    return {
        p.relative_to(data).as_posix(): comparable(p)
        for p in sorted(data.glob("*/*/exchange.xml"))
    }


@pytest.fixture(scope="module")
def demo_package(tmp_path_factory):
    """A demo archive (cases in every state, filed ones, hearings) exported whole."""
    root = tmp_path_factory.mktemp("exchange")
    result = run(
        "init", "--var", str(root / "source"), "--demo-cases", "24", "--seed", "7"
    )
    assert result.returncode == 0, result.stderr
    package = root / "package"
    result = run(
        "export", "--var", str(root / "source"), "--all", "--out", str(package)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "包校验值" in result.stdout
    return package


def empty_archive(path):
    result = run("init", "--var", str(path), "--demo-cases", "0")
    assert result.returncode == 0, result.stderr
    return path


def test_the_package_verifies_and_a_tampered_copy_does_not(demo_package, tmp_path):
    result = run("verify-package", str(demo_package))
    assert result.returncode == 0, result.stdout
    assert "包完好" in result.stdout
    recorded = (
        demo_package.with_name(demo_package.name + ".sha256").read_text().split()[0]
    )
    assert (
        run(
            "verify-package", str(demo_package), "--expected-sha256", recorded
        ).returncode
        == 0
    )
    other = run("verify-package", str(demo_package), "--expected-sha256", "0" * 64)
    assert other.returncode == 1 and "不符" in other.stdout
    assert other.stdout.strip().splitlines()[-1] == "包有问题"  # the verdict comes last
    copy = tmp_path / demo_package.name
    shutil.copytree(demo_package, copy)
    shutil.copy(demo_package.with_name(demo_package.name + ".sha256"), tmp_path)
    payload = sorted((copy / "data" / "cases").glob("*/files/*"))
    payload[0].unlink()
    payload[1].write_bytes(payload[1].read_bytes() + b"x")
    result = run("verify-package", str(copy))
    assert result.returncode == 1
    out = result.stdout
    missing, changed = out.index("缺失"), out.index("已变更")
    first = payload[0].relative_to(copy).as_posix()
    second = payload[1].relative_to(copy).as_posix()
    # each under its own heading
    assert (missing < out.index(first) < changed) or (
        changed < missing < out.index(first)
    )
    assert out.index(second) > changed and (
        out.index(second) < missing or missing < changed
    )
    assert "包有问题" in out


def test_an_edited_envelope_is_found_even_with_rewritten_manifests(
    demo_package, tmp_path
):
    """A record's envelope is edited and the bag's manifests made again (as a
    tool that rewrites bags does): every file matches its manifest, but the
    envelope's 封装包摘要 and the package checksum recorded at export tell."""
    copy = tmp_path / demo_package.name
    shutil.copytree(demo_package, copy)
    shutil.copy(demo_package.with_name(demo_package.name + ".sha256"), tmp_path)
    edited = sorted((copy / "data" / "cases").glob("*/envelopes/*.xml"))[0]
    text = edited.read_text(encoding="utf-8")
    start = text.index("<题名>") + len("<题名>")
    edited.write_text(text[:start] + "改" + text[start + 1 :], encoding="utf-8")
    bagit.Bag(str(copy)).save(manifests=True)
    result = run("verify-package", str(copy))
    assert result.returncode == 1
    out = result.stdout
    assert "缺失" not in out and "已变更" not in out
    assert "包校验值 " + copy.name + ".sha256：不一致" in out
    assert f"{edited.relative_to(copy).as_posix()}: 封装包摘要" in out
    assert "包有问题" in out


def test_an_empty_archive_imports_the_package_and_exports_the_same_records(
    demo_package, tmp_path
):
    target = empty_archive(tmp_path / "target")
    result = run("import", "--var", str(target), str(demo_package), "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "试运行" in result.stdout and "失败 failed 0" in result.stdout
    result = run(
        "import",
        "--var",
        str(target),
        str(demo_package),
        "--report",
        str(tmp_path / "report.csv"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "失败 failed 0" in result.stdout
    # the summary counts every kind of record the package brought
    assert "次会议" in result.stdout and "个领导接待日" in result.stdout, result.stdout
    again = tmp_path / "again"
    result = run("export", "--var", str(target), "--all", "--out", str(again))
    assert result.returncode == 0, result.stdout + result.stderr
    before, after = records(demo_package), records(again)
    assert before.keys() == after.keys() and len(before) >= 24
    for name in before:
        assert before[name] == after[name], name
    payload = {
        p.relative_to(demo_package).as_posix()
        for p in demo_package.glob("data/*/*/files/*")
    }
    assert payload == {
        p.relative_to(again).as_posix() for p in again.glob("data/*/*/files/*")
    }
    assert "已导入" in (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    # running it again changes nothing
    result = run("import", "--var", str(target), str(demo_package))
    assert result.returncode == 0 and "已导入 imported: 0 件信访件" in result.stdout
    # The commands' request is the global one too: the catalog's query cache,
    # which a rolled-back case must clear, lives on the request it acquires.
    probe = subprocess.run(
        [sys.executable, "-c", CATALOG_REQUEST_PROBE, str(target)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=300,
    )
    assert probe.stdout.strip() == "same request", probe.stdout + probe.stderr


def test_an_import_killed_in_the_middle_finishes_when_run_again(demo_package, tmp_path):
    target = empty_archive(tmp_path / "target")
    data_fs = target / "filestorage" / "Data.fs"
    size = data_fs.stat().st_size
    process = subprocess.Popen(
        [CLI, "import", "--var", str(target), str(demo_package), "--commit-every", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    deadline = time.monotonic() + 120
    while (
        data_fs.stat().st_size == size
        and process.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    time.sleep(0.3)  # into the next batches
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, (
        "the import ended before it could be killed"
    )
    result = run("import", "--var", str(target), str(demo_package))
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout
    skipped = int(summary.split("skipped ")[1].split(";")[0])
    assert skipped >= 2  # what the first run committed
    assert "已导入 imported: 0 件" not in summary  # and the rest came in now
    exported = tmp_path / "after"
    assert (
        run("export", "--var", str(target), "--all", "--out", str(exported)).returncode
        == 0
    )
    assert records(exported) == records(demo_package)


def _workers_of(parent):
    """The pids of ``import --workers``' worker processes."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(
                line
                for line in status.read_text().splitlines()
                if line.startswith("PPid:")
            )
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, StopIteration):
            continue
        if int(ppid.split()[1]) == parent and b"--share" in command:
            found.append(int(status.parent.name))
    return found


def test_a_parallel_import_with_a_worker_killed_finishes_when_run_again(
    demo_package, tmp_path
):
    """``import --workers 2`` on an archive that is not serving: it starts the
    ZEO server for the import and stops it after.  A worker killed in the
    middle makes the run fail and say so; the same command again imports the
    rest, and the archive then holds exactly the package's records, once."""
    from xinfang_archive.cli.instance import Instance

    target = empty_archive(tmp_path / "target")
    process = subprocess.Popen(
        [
            CLI,
            "import",
            "--var",
            str(target),
            str(demo_package),
            "--workers",
            "2",
            "--commit-every",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
        text=True,
    )
    data_fs = target / "filestorage" / "Data.fs"
    size = data_fs.stat().st_size
    deadline = time.monotonic() + 180
    while (
        data_fs.stat().st_size == size
        and process.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    time.sleep(1)  # into the next batches
    workers = _workers_of(process.pid)
    assert len(workers) == 2, "the import ended before a worker could be killed"
    os.kill(workers[0], signal.SIGKILL)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 1, out + err
    assert "异常退出" in out and "再次运行" in out
    assert not Instance(target).served()  # the server it started is stopped

    result = run("import", "--var", str(target), str(demo_package), "--workers", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    skipped = int(result.stdout.split("skipped ")[1].split(";")[0])
    assert skipped >= 2 and "失败 failed 0" in result.stdout
    exported = tmp_path / "after"
    assert (
        run("export", "--var", str(target), "--all", "--out", str(exported)).returncode
        == 0
    )
    assert records(exported) == records(demo_package)


def test_workers_need_a_zeo_instance(demo_package, tmp_path):
    result = run(
        "init",
        "--var",
        str(tmp_path / "file"),
        "--demo-cases",
        "0",
        "--storage",
        "file",
    )
    assert result.returncode == 0, result.stderr
    result = run(
        "import", "--var", str(tmp_path / "file"), str(demo_package), "--workers", "2"
    )
    assert result.returncode == 2 and "ZEO" in result.stderr
