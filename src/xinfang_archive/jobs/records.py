"""The jobs of a site: who started what, its state, progress and outcome.

Progress lives in an object of its own, written by the job's thread, so
that it never conflicts with the page that asks to cancel (the job's own
record) while the job runs."""

from BTrees.OOBTree import OOBTree
from datetime import datetime
from datetime import UTC
from persistent import Persistent
from persistent.list import PersistentList
from xinfang_archive.jobs.files import remove_job_directories
from zope.annotation.interfaces import IAnnotations

import secrets
import transaction


ANNOTATION_KEY = "xinfang_archive.jobs"
KEEP = 200  # the newest jobs kept; older ones (and their files) are dropped

QUEUED, RUNNING, DONE, FAILED, CANCELLED = (
    "queued",
    "running",
    "done",
    "failed",
    "cancelled",
)
FINISHED = (DONE, FAILED, CANCELLED)


class JobProgress(Persistent):
    def __init__(self):
        self.done = 0
        self.total = 0
        self.updates = 0  # how many times the thread wrote progress
        self.heartbeat = datetime.now(UTC)


class Job(Persistent):
    def __init__(self, kind, owner, params):
        # ordered by creation (the store lists them by id), then unguessable
        self.id = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f-") + secrets.token_hex(4)
        self.kind = kind  # import, import-dry-run, export
        self.owner = owner
        self.params = dict(params)
        self.created = datetime.now(UTC)
        self.finished = None
        self.state = QUEUED
        self.cancel_requested = False
        self.progress = JobProgress()
        self.lines = PersistentList()  # the outcome, as a person reads it
        self.ok = None
        self.output = ""  # an export's package directory

    @property
    def running(self):
        return self.state not in FINISHED


def jobs(site, create=False):
    annotations = IAnnotations(site)
    store = annotations.get(ANNOTATION_KEY)
    if store is None and create:
        store = annotations[ANNOTATION_KEY] = OOBTree()
    return store


def add_job(site, kind, owner, params):
    store = jobs(site, create=True)
    job = Job(kind, owner, params)
    store[job.id] = job
    dropped = list(store.keys())[:-KEEP]
    for old in dropped:
        del store[old]
    if dropped:
        transaction.get().addAfterCommitHook(
            lambda committed: committed and remove_job_directories(dropped)
        )
    return job


def get_job(site, job_id):
    store = jobs(site)
    return store.get(job_id) if store is not None and job_id else None


def recent_jobs(site, limit=20):
    store = jobs(site)
    if store is None:
        return []
    return list(reversed(list(store.values())))[:limit]


def running_jobs(site):
    store = jobs(site)
    return [job for job in (store.values() if store is not None else ()) if job.running]
