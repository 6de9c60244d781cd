"""Locks that keep a job from running twice at once on any host.

A session-level advisory lock on a connection of its own, held while the
job runs: the lock goes with the connection, so a job that dies (even by
``kill -9``) frees it, and nothing stale is left to clean.
"""

from contextlib import contextmanager
from xinfang_archive.cluster.database import connect
from xinfang_archive.cluster.database import JOB_LOCKS
from xinfang_archive.cluster.database import LOCK_SPACE

import os
import socket
import zlib


class JobRunning(Exception):
    """The job holds its lock elsewhere (``holder`` says where, if known)."""

    def __init__(self, name, holder):
        super().__init__(name, holder)
        self.name = name
        self.holder = holder


def lock_key(name):
    return JOB_LOCKS + zlib.crc32(name.encode("utf-8")) % 1_000_000


@contextmanager
def job_lock(dsn, name):
    # the holder's name, host and pid, for whoever finds the lock taken
    connection = connect(
        dsn,
        application_name=f"xinfang_archive {name} {socket.gethostname()} pid {os.getpid()}",
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_SPACE, lock_key(name))
            )
            if not cursor.fetchone()[0]:
                raise JobRunning(name, _holder(cursor, name))
        yield
    finally:
        connection.close()


def _holder(cursor, name):
    """Who holds the lock: the application name its connection gave."""
    cursor.execute(
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.classid = %s AND l.objid = %s AND l.objsubid = 2 "
        "AND l.granted LIMIT 1",
        (LOCK_SPACE, lock_key(name)),
    )
    row = cursor.fetchone()
    return row[0] if row else "another host"
