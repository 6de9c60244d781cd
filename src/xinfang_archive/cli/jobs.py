"""One run of a job at a time: on every host of an archive in PostgreSQL
(an advisory lock, ``cluster.jobs``), else on the instance's machine (a
file lock under ``var/``, freed by the kernel when the holder dies)."""

from contextlib import contextmanager
from xinfang_archive.cluster.jobs import job_lock
from xinfang_archive.cluster.jobs import JobRunning

import fcntl
import os
import socket


__all__ = ["JobRunning", "exclusive"]


@contextmanager
def exclusive(instance, name):
    if instance.storage == "postgresql":
        with job_lock(instance.dsn, name):
            yield
        return
    path = instance.var / f"{name}.lock"
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise JobRunning(name, handle.read().strip() or "another process") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(
                f"xinfang_archive {name} {socket.gethostname()} pid {os.getpid()}\n"
            )
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
