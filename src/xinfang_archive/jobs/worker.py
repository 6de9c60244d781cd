"""Running a job in a thread of this process, on database connections of
its own: one for the work (which commits as the command line's would), one
for the progress, written at most once a second, which also reads whether
the job is to be cancelled."""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from Testing.makerequest import makerequest
from xinfang_archive import _
from xinfang_archive.audit.recorder import record
from xinfang_archive.i18n import record_text
from xinfang_archive.jobs.records import CANCELLED
from xinfang_archive.jobs.records import DONE
from xinfang_archive.jobs.records import FAILED
from xinfang_archive.jobs.records import jobs
from xinfang_archive.jobs.records import RUNNING
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import logging
import threading
import time
import transaction


logger = logging.getLogger("xinfang_archive.jobs")

PROGRESS_EVERY = 1.0  # seconds between two progress writes
# A running job whose thread wrote nothing for this long died with its process.
STALE_AFTER = timedelta(minutes=3)


class JobCancelled(Exception):
    """The job was asked to stop: raised from its progress callback."""


def is_stale(job, now=None):
    now = now or datetime.now(UTC)
    return job.running and now - job.progress.heartbeat > STALE_AFTER


class Progress:
    """``progress(done, total)`` for the work."""

    def __init__(self, db, site_path, job_id):
        self.manager = transaction.TransactionManager()
        self.connection = db.open(transaction_manager=self.manager)
        self.site_path, self.job_id = site_path, job_id
        self.last = 0.0

    def _job(self):
        site = self.connection.root()["Application"].unrestrictedTraverse(
            self.site_path
        )
        return jobs(site)[self.job_id]

    def __call__(self, done, total, force=False):
        now = time.monotonic()
        if not force and done != total and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        self.manager.begin()  # sees the latest committed state (a cancellation)
        job = self._job()
        progress = job.progress
        progress.done, progress.total = done, total
        progress.updates += 1
        progress.heartbeat = datetime.now(UTC)
        try:
            self.manager.commit()
        except ConflictError:
            self.manager.abort()
        if job.cancel_requested:
            raise JobCancelled

    def close(self):
        self.manager.abort()
        self.connection.close()


def start_after_commit(site, job, work):
    """Run ``work(site, params, progress)`` for ``job`` in a thread once the
    transaction that made the job commits (the thread must find it);
    ``work`` returns ``(ok, lines, output)``."""
    db = site._p_jar.db()
    args = (db, site.getPhysicalPath(), job.id, job.owner, work)

    def start(committed):
        if committed:
            threading.Thread(
                target=run, args=args, name=f"xinfang-job-{job.id}", daemon=True
            ).start()

    transaction.get().addAfterCommitHook(start)


def run(db, site_path, job_id, owner, work):
    connection = db.open()
    app = makerequest(connection.root()["Application"])
    setRequest(app.REQUEST)
    progress = None
    try:
        site = app.unrestrictedTraverse(site_path)
        setSite(site)
        _act_as(owner, site, app)
        job = jobs(site)[job_id]
        job.state = RUNNING
        job.progress.heartbeat = datetime.now(UTC)
        transaction.commit()
        progress = Progress(db, site_path, job_id)
        state, ok, lines, output = _work(site, job, work, progress)
        transaction.begin()
        job = jobs(site)[job_id]
        job.state, job.ok, job.output = state, ok, output
        job.lines.extend(lines)
        job.finished = datetime.now(UTC)
        job.progress.heartbeat = job.finished
        record(
            "job",
            site,
            title=job.kind,
            details={
                "job": job.id,
                "kind": job.kind,
                "state": state,
                "source": job.params.get("name", ""),
                "lines": lines[:20],
            },
        )
        transaction.commit()
    except Exception:
        logger.exception("Job %s could not be run", job_id)
        transaction.abort()
    finally:
        if progress is not None:
            progress.close()
        noSecurityManager()
        setSite(None)
        clearRequest()
        connection.close()


def _act_as(owner, site, app):
    """The job runs as the user who started it (the audit trail names them)."""
    for users in (site.acl_users, app.acl_users):
        user = users.getUserById(owner)
        if user is not None:
            newSecurityManager(None, user.__of__(users))
            return
    raise LookupError(f"no user {owner}")


def _work(site, job, work, progress):
    """``(state, ok, lines, output)``; what the work did not commit is undone."""
    try:
        ok, lines, output = work(site, dict(job.params), progress)
        return DONE, ok, lines, output
    except JobCancelled:
        transaction.abort()
        return (
            CANCELLED,
            False,
            [
                record_text(
                    _(
                        "Cancelled: what was committed before stays, nothing else was written."
                    )
                )
            ],
            "",
        )
    except Exception as error:
        transaction.abort()
        logger.exception("Job %s failed", job.id)
        return (
            FAILED,
            False,
            [
                record_text(
                    _("The job failed: ${error}", mapping={"error": str(error)[:500]})
                )
            ],
            "",
        )
