"""Import and export in the browser: a dry run first, then the import as a
background job with its progress on a page, cancellable and audited; an
export of a selection as a package to download."""

from pathlib import Path
from plone import api
from plone.app.testing import TEST_USER_ID
from tests.helpers.audit import entries_for
from tests.helpers.browser import login
from tests.helpers.exchange import exchange_document
from tests.helpers.exchange import legacy_case
from xinfang_archive.jobs import records
from xinfang_archive.jobs.files import server_source
from xinfang_archive.jobs.records import add_job
from xinfang_archive.jobs.uploads import save_upload
from xinfang_archive.jobs.uploads import UploadRefused
from xinfang_archive.jobs.worker import run

import io
import pytest
import tempfile
import threading
import transaction
import zipfile


NUMBERS = ("JS-2021-0001", "JS-2021-0002", "JS-2021-0003")


def cases_named(numbers):
    transaction.begin()  # what the server's threads committed
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        portal_type="PetitionCase", registration_number=list(numbers)
    )


def finished(page):
    page.wait_for_function(
        "() => ['已完成', '失败', '已取消'].includes("
        "(document.querySelector('#xf-job-state') || {}).textContent)",
        timeout=60000,
    )
    return page.inner_text("#xf-job-state")


@pytest.mark.browser
def test_an_archivist_imports_with_a_dry_run_first_then_exports_a_package(
    site, staff_users, browser, tmp_path
):
    from xinfang_archive.exchange.verify import verify_package

    source = tmp_path / "旧系统迁移.xml"
    source.write_bytes(exchange_document(*(legacy_case(n) for n in NUMBERS)))
    office = site["archive-office"].absolute_url()
    page = browser.new_page(locale="zh-CN")
    login(page, site.absolute_url(), "archivist")
    page.goto(office + "/@@exchange")
    page.set_input_files("#xf-import-file", str(source))
    page.click("#xf-import-start")
    page.wait_for_selector("#xf-job")
    assert finished(page) == "已完成"
    assert "可导入 3 件信访件" in page.inner_text("#xf-job-lines")
    assert "试运行：数据库未作任何改动" in page.inner_text("#xf-job-lines")
    assert not cases_named(NUMBERS)  # a dry run writes nothing

    page.click("#xf-job-run")
    page.wait_for_selector("#xf-job")
    assert finished(page) == "已完成"
    assert "已导入 3 件信访件" in page.inner_text("#xf-job-lines")
    assert page.inner_text("#xf-job-progress").strip() == "3 / 3"
    imported = cases_named(NUMBERS)
    assert len(imported) == 3
    jobs = entries_for(action="job")
    states = [e.details["state"] for e in jobs]
    assert states.count("started") == 2 and states.count("done") == 2
    assert {e.actor for e in jobs} == {"archivist"}

    page.goto(office + "/@@exchange")
    page.fill("#xf-export-selection", "\n".join(NUMBERS))
    page.click("#xf-export-start")
    page.wait_for_selector("#xf-job")
    assert finished(page) == "已完成", page.inner_text("#xf-job-lines")
    with page.expect_download() as download:
        page.click("#xf-job-download")
    zipped = tmp_path / "package.zip"
    download.value.save_as(zipped)
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(tmp_path / "unpacked")
    [package] = [p for p in (tmp_path / "unpacked").iterdir() if p.is_dir()]
    report = verify_package(package)
    assert report.ok and report.digest != "absent"
    assert any(e.details.get("cases") == 3 for e in entries_for(action="export"))


@pytest.mark.browser
def test_a_dry_run_that_finds_problems_offers_no_import(
    site, staff_users, browser, tmp_path
):
    source = tmp_path / "broken.xml"
    source.write_bytes(
        exchange_document(legacy_case("JS-2021-0009", received="2021-02-30"))
    )
    page = browser.new_page(locale="zh-CN")
    login(page, site.absolute_url(), "archivist")
    page.goto(site["archive-office"].absolute_url() + "/@@exchange")
    page.set_input_files("#xf-import-file", str(source))
    page.click("#xf-import-start")
    page.wait_for_selector("#xf-job")
    assert finished(page) == "已完成"
    assert "失败 1 项" in page.inner_text("#xf-job-lines")
    assert not page.is_visible("#xf-job-run")


def test_a_cancelled_job_keeps_nothing_it_did_not_commit(site):
    """The cancellation reaches the job at its next progress report; what
    the job had not committed is undone, and the job says so."""
    from tests.helpers.cases import case_data

    job = add_job(site, "import", TEST_USER_ID, {"name": "cases.xml"})
    job.cancel_requested = True
    transaction.commit()

    def work(portal, params, progress):
        api.content.create(
            container=portal["cases"],
            type="PetitionCase",
            **case_data(title="不应留下"),
        )
        progress(1, 10)
        return True, ["never"], ""

    thread = threading.Thread(
        target=run,
        args=(site._p_jar.db(), site.getPhysicalPath(), job.id, TEST_USER_ID, work),
    )
    thread.start()  # as the server starts it: a thread of its own
    thread.join()
    transaction.begin()
    job = records.get_job(site, job.id)
    assert job.state == "cancelled" and job.ok is False
    assert "已取消" in job.lines[0]
    assert job.progress.done == 1 and job.progress.updates == 1
    assert not api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        Title="不应留下"
    )


def test_one_job_at_a_time(site, request_):
    from xinfang_archive.browser.exchange_jobs import JobRefused
    from xinfang_archive.browser.exchange_jobs import start

    add_job(site, "import", TEST_USER_ID, {"name": "a.xml"})  # queued: running
    with pytest.raises(JobRefused):
        start(site, "export", {"name": "b"}, lambda *args: (True, [], ""))


def test_uploads_stay_within_their_limits(tmp_path):
    class Upload(io.BytesIO):
        filename = "package.zip"

    outside = io.BytesIO()
    with zipfile.ZipFile(outside, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", "x")
    with pytest.raises(UploadRefused):
        save_upload(Upload(outside.getvalue()), tmp_path / "a", 10_000)
    assert not (tmp_path / "etc").exists()
    big = Upload(b"<exchange/>" * 200)
    big.filename = "big.xml"
    with pytest.raises(UploadRefused):
        save_upload(big, tmp_path / "b", 1000)
    assert list((tmp_path / "b").iterdir()) == []
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cases.xml", b"0" * 100_000)
    with pytest.raises(UploadRefused):
        save_upload(Upload(bomb.getvalue()), tmp_path / "c", 50_000)


def test_only_files_of_the_imports_directory_may_be_named(tmp_path, monkeypatch):
    monkeypatch.setenv("XINFANG_ARCHIVE_VAR", str(tmp_path))
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "cases.xml").write_text("<exchange/>")
    (tmp_path / "secret.txt").write_text("x")
    assert server_source("cases.xml") == (tmp_path / "imports" / "cases.xml").resolve()
    assert server_source("../secret.txt") is None
    assert server_source("/etc/passwd") is None
    assert server_source("") is None
    assert Path(tmp_path / "imports").is_dir()


def test_the_oldest_jobs_leave_with_their_files(site, tmp_path, monkeypatch):
    from xinfang_archive.jobs.files import job_directory

    monkeypatch.setenv("XINFANG_ARCHIVE_VAR", str(tmp_path))
    monkeypatch.setattr(records, "KEEP", 2)
    made = []
    for name in ("a.xml", "b.xml", "c.xml"):
        job = add_job(site, "import", TEST_USER_ID, {"name": name})
        (job_directory(job.id) / "upload.xml").write_text("<exchange/>")
        made.append(job.id)
        transaction.commit()
    assert [job.params["name"] for job in records.recent_jobs(site)] == [
        "c.xml",
        "b.xml",
    ]
    assert not (tmp_path / "jobs" / made[0]).exists()
    assert (tmp_path / "jobs" / made[2] / "upload.xml").exists()


def test_a_refused_upload_leaves_no_file_behind(
    manager, request_, tmp_path, monkeypatch
):
    """A ZIP with a path leading out is refused with a message in Chinese,
    and nothing of it stays on the server's disk."""
    from plone.protect.authenticator import createToken
    from tests.helpers.views import render

    class Upload(io.BytesIO):
        filename = "package.zip"

    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../outside.xml", "<exchange/>")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    request_.method = "POST"
    request_.form.update(
        {
            "form.import": "1",
            "file": Upload(evil.getvalue()),
            "_authenticator": createToken(),
        }
    )
    html = render("exchange", manager["archive-office"], request_)
    assert request_.response.getStatus() == 400
    assert "ZIP 文件含有指向其外部的路径" in html
    assert list(tmp_path.iterdir()) == []
    assert not records.recent_jobs(manager)
