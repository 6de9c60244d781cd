"""Import and export in the browser, for archivists (档案管理 → 导入导出).

@@exchange       upload an exchange file or a ZIP of a package (or choose one
                 in the server's imports directory) for a dry run; choose
                 cases or a filing year to export as an archival package
@@job            one job: its progress while it runs (the page refreshes),
                 cancel; its outcome; after a clean dry run, the import itself
@@job-download   an export's package, as a ZIP

Each job runs in the background (``jobs``), with the same checks and
limits as the command line; starting, cancelling and finishing it are
audited, as is what it writes.
"""

from datetime import datetime
from datetime import UTC
from pathlib import Path
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive import _
from xinfang_archive.archival.transfer import destination_problems
from xinfang_archive.archival.transfer import transfer_directory
from xinfang_archive.audit.recorder import record
from xinfang_archive.browser.downloads import refuse
from xinfang_archive.exchange.safexml import DEFAULT_MAX_BYTES
from xinfang_archive.exchange.selection import selection_keys
from xinfang_archive.jobs.exports import export_work
from xinfang_archive.jobs.files import job_directory
from xinfang_archive.jobs.files import server_source
from xinfang_archive.jobs.files import server_sources
from xinfang_archive.jobs.imports import import_work
from xinfang_archive.jobs.records import add_job
from xinfang_archive.jobs.records import DONE
from xinfang_archive.jobs.records import get_job
from xinfang_archive.jobs.records import recent_jobs
from xinfang_archive.jobs.records import running_jobs
from xinfang_archive.jobs.uploads import save_upload
from xinfang_archive.jobs.uploads import UploadRefused
from xinfang_archive.jobs.worker import is_stale
from xinfang_archive.jobs.worker import start_after_commit
from xinfang_archive.localtime import chinese_time
from zope.i18n import translate
from ZPublisher.Iterators import filestream_iterator

import re
import shutil
import tempfile
import zipfile


KIND_TITLES = {
    "import-dry-run": _("Import (dry run)"),
    "import": _("Import"),
    "export": _("Export"),
}
STATE_TITLES = {
    "queued": _("Waiting to start"),
    "running": _("Running"),
    "done": _("job_done", default="Finished"),
    "failed": _("Failed"),
    "cancelled": _("Cancelled"),
    "stale": _("Interrupted (the server stopped); start it again"),
}


class JobRefused(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _state(job):
    return "stale" if is_stale(job) else job.state


def refuse_if_busy(site):
    """One job at a time (a job whose process died does not count)."""
    if any(not is_stale(job) for job in running_jobs(site)):
        raise JobRefused(
            _(
                "Another import or export is running; start this one when it has finished."
            )
        )


def start(site, kind, params, work):
    """A new job of the current user, started once this request commits."""
    refuse_if_busy(site)
    job = add_job(site, kind, api.user.get_current().getId(), params)
    record(
        "job",
        site,
        title=kind,
        details={
            "job": job.id,
            "kind": kind,
            "state": "started",
            "source": params.get("name", ""),
        },
    )
    start_after_commit(site, job, work)
    return job


class _JobsBase(BrowserView):
    def _t(self, message):
        return translate(message, context=self.request) if message else ""

    def job_url(self, job):
        return f"{self.context.absolute_url()}/@@job?id={job.id}"

    def row(self, job):
        return {
            "id": job.id,
            "url": self.job_url(job),
            "kind": self._t(KIND_TITLES.get(job.kind)),
            "name": job.params.get("name", ""),
            "owner": job.owner,
            "created": chinese_time(job.created),
            "state": self._t(STATE_TITLES[_state(job)]),
            "done": job.progress.done,
            "total": job.progress.total,
        }


class ExchangeView(_JobsBase):
    template = ViewPageTemplateFile("templates/exchange.pt")

    def __call__(self):
        self.error = None
        form = self.request.form
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            try:
                if "form.import" in form:
                    job = self._import(form)
                elif "form.export" in form:
                    job = self._export(form)
                else:
                    job = None
            except (JobRefused, UploadRefused) as error:
                self.error = self._t(error.message)
                self.request.response.setStatus(400)
                return self.template()
            if job is not None:
                self.request.response.redirect(self.job_url(job))
                return ""
        return self.template()

    def _import(self, form):
        site = api.portal.get()
        refuse_if_busy(site)  # before an upload is saved for nothing
        upload = form.get("file")
        name = (form.get("server_name") or "").strip()
        params = {"max_bytes": DEFAULT_MAX_BYTES}
        if not getattr(upload, "filename", None):
            if not name:
                raise JobRefused(
                    _("Upload a file or choose one in the imports directory.")
                )
            source = server_source(name)
            if source is None:
                raise JobRefused(_("There is no such file in the imports directory."))
            params.update(source=str(source), name=name)
            return start(site, "import-dry-run", params, import_work(dry_run=True))
        # saved aside first: the job's directory is named after the job, which
        # is made only once the upload is known to be good
        staging = Path(tempfile.mkdtemp(prefix="xinfang-upload-"))
        try:
            source = save_upload(upload, staging, params["max_bytes"])
            params.update(source=str(source), name=upload.filename)
            job = start(site, "import-dry-run", params, import_work(dry_run=True))
            kept = job_directory(job.id) / "upload"
            shutil.move(str(staging), str(kept))
        except Exception:
            shutil.rmtree(
                staging, ignore_errors=True
            )  # nothing of a refused upload stays
            raise
        job.params = dict(job.params, source=str(kept / source.relative_to(staging)))
        return job

    def _export(self, form):
        site = api.portal.get()
        keys = selection_keys(form.get("selection"))
        year = (form.get("year") or "").strip()
        if year and not re.fullmatch(r"\d{4}", year):
            raise JobRefused(_("A filing year has four digits."))
        if not keys and not year:
            raise JobRefused(_("Name the cases to export, or a filing year."))
        to_transfer = form.get("destination") == "transfer"
        if to_transfer and destination_problems():
            raise JobRefused(destination_problems()[0])
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        label = f"year-{year}" if year else f"selection-{len(keys)}"
        name = f"export-{label}-{stamp}"
        job = start(
            site,
            "export",
            {"keys": keys, "year": year or None, "name": name, "target": ""},
            export_work,
        )
        directory = transfer_directory() if to_transfer else job_directory(job.id)
        job.params = dict(job.params, target=str(Path(directory) / name))
        return job

    def server_names(self):
        return server_sources()

    def jobs(self):
        return [self.row(job) for job in recent_jobs(api.portal.get())]

    def max_mb(self):
        return DEFAULT_MAX_BYTES // (1024 * 1024)

    def may_transfer(self):
        return not destination_problems()


class JobView(_JobsBase):
    template = ViewPageTemplateFile("templates/job.pt")

    def __call__(self):
        site = api.portal.get()
        self.error = None
        self.job = get_job(site, self.request.form.get("id"))
        if self.job is None:
            return refuse(self.request, 404, _("There is no such job."))
        form = self.request.form
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if "form.cancel" in form and self.job.running:
                self.job.cancel_requested = True
                record(
                    "job",
                    site,
                    title=self.job.kind,
                    details={
                        "job": self.job.id,
                        "kind": self.job.kind,
                        "state": "cancel requested",
                    },
                )
            elif "form.run" in form and self.may_run():
                try:
                    job = start(
                        site,
                        "import",
                        dict(self.job.params),
                        import_work(dry_run=False),
                    )
                except JobRefused as error:
                    self.error = self._t(error.message)
                    self.request.response.setStatus(400)
                    return self.template()
                self.request.response.redirect(self.job_url(job))
                return ""
            self.request.response.redirect(self.job_url(self.job))
            return ""
        return self.template()

    def info(self):
        return self.row(self.job)

    def running(self):
        return self.job.running and not is_stale(self.job)

    def percent(self):
        progress = self.job.progress
        return int(100 * progress.done / progress.total) if progress.total else 0

    def lines(self):
        return list(self.job.lines)

    def may_run(self):
        """A dry run that found nothing wrong may be run for real."""
        return (
            self.job.kind == "import-dry-run" and self.job.state == DONE and self.job.ok
        )

    def download_url(self):
        job = self.job
        if job.kind != "export" or job.state != DONE or not job.ok or not job.output:
            return ""
        if not Path(job.output).is_relative_to(job_directory(job.id)):
            return ""  # written to the transfer directory
        return f"{self.context.absolute_url()}/@@job-download?id={job.id}"

    def output(self):
        return self.job.output


class JobDownload(BrowserView):
    """The package of a finished export, as a ZIP (with its ``.sha256`` beside it)."""

    def __call__(self):
        job = get_job(api.portal.get(), self.request.form.get("id"))
        package = Path(job.output) if job is not None and job.output else None
        if (
            package is None
            or job.kind != "export"
            or job.state != DONE
            or not package.is_dir()
            or not package.is_relative_to(job_directory(job.id))
        ):
            return refuse(self.request, 404, _("There is no such package."))
        handle = tempfile.NamedTemporaryFile(suffix=".zip", delete=False)  # noqa: SIM115
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(package.rglob("*")):
                if path.is_file():
                    zipped.write(path, Path(package.name) / path.relative_to(package))
            checksum = package.with_name(package.name + ".sha256")
            if checksum.is_file():  # the package's digest, beside it as on disk
                zipped.write(checksum, checksum.name)
        handle.close()
        record(
            "download",
            api.portal.get(),
            title="archival package",
            details={"job": job.id, "package": package.name},
        )
        response = self.request.response
        response.setHeader("Content-Type", "application/zip")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{package.name}.zip"'
        )
        response.setHeader("Cache-Control", "private, no-store")
        response.setHeader("X-Content-Type-Options", "nosniff")
        size = Path(handle.name).stat().st_size
        response.setHeader("Content-Length", str(size))
        stream = filestream_iterator(handle.name, "rb")
        Path(handle.name).unlink()  # the open stream keeps the data until sent
        return stream
