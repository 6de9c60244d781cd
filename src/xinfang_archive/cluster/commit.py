"""Writing the shared tables inside the ZODB commit.

RelStorage commits a ZODB transaction as one PostgreSQL transaction on its
store connection: rows locked in ``tpc_vote``, the transaction id chosen
and everything committed in ``tpc_finish``.  A participant that sorts
after the ZODB connection (``~`` after the storage's name) writes its rows
on that same connection in its own ``tpc_vote``: they commit with the
objects or not at all, and a host killed during the commit leaves neither
(PostgreSQL rolls back the open transaction).

Writers take the archive's commit lock (a transaction-level advisory lock,
held until that commit ends) before they write, so rows numbered from a
sequence under it are numbered in commit order: whoever reads the table
and sees a row sees every row numbered before it.  The lock is taken after
the storage's object locks (its vote comes first), and RelStorage takes
its own commit lock only in ``tpc_finish``, so every writer takes the
locks in one order.
"""

from relstorage.storage.tpc.vote import AbstractVote
from xinfang_archive.cluster.database import COMMIT_LOCK
from xinfang_archive.cluster.database import dsn_of
from xinfang_archive.cluster.database import ensure_schema
from xinfang_archive.cluster.database import LOCK_SPACE
from xinfang_archive.cluster.database import relstorage_of


class NotInCommit(Exception):
    """RelStorage is not voting this transaction (a participant joined late)."""


def join_storage(connection):
    """Make the ZODB ``connection`` take part in the current transaction
    even if it changed nothing, so that the shared rows have a storage
    commit to ride on (``readCurrent`` alone does not join it)."""
    connection._register()


def prepare(connection):
    """Before the commit: the tables exist (DDL stays out of the commit)."""
    ensure_schema(dsn_of(relstorage_of(connection.db())))


def commit_cursor(connection):
    """The cursor of RelStorage's transaction for ``connection``, in its
    vote, with the archive's commit lock held."""
    phase = getattr(connection._storage, "_tpc_phase", None)
    if not isinstance(phase, AbstractVote):
        raise NotInCommit(f"the storage is not voting ({type(phase).__name__})")
    if phase.committing_tid_lock is not None:
        # RelStorage locked early (RELSTORAGE_LOCK_EARLY, a shared blob
        # directory): our lock would come after its commit lock here and
        # before it elsewhere
        raise NotInCommit(
            "RelStorage took its commit lock in the vote; the archive needs it taken at finish"
        )
    cursor = phase.shared_state.store_connection.cursor
    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SPACE, COMMIT_LOCK))
    return cursor
