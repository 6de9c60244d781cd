"""A transaction's search documents, published into the shared change log.

On an archive in PostgreSQL the index queue processor does not write the
host's index at commit: it joins ``LogParticipant`` to the transaction,
which writes the documents into the change log inside the ZODB commit
(``cluster.commit``), and after the commit this host applies the log up
to its own rows (``following``); every other host does the same when the
log's notification reaches it.

Each object a document is built from is read with ``readCurrent``: the
commit fails (and is retried) if another transaction changed it meanwhile,
so no commit publishes a document built from outdated state after the
commit that changed it.
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from xinfang_archive.cluster.commit import commit_cursor
from xinfang_archive.cluster.commit import join_storage
from xinfang_archive.cluster.commit import prepare
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.pending_work import PendingWork
from xinfang_archive.search.changelog import publish
from xinfang_archive.search.following import Follower

import logging


logger = logging.getLogger("xinfang_archive.search")


class LogParticipant(PendingWork):
    """Writes the documents ``take_pending`` hands over into the change log,
    in the vote.  It holds no work of its own: the documents wait in the
    queue's ``PendingDocuments``, which savepoints roll back."""

    # after the ZODB connection, whose vote takes the object locks first
    SORT_KEY = "~xinfang_archive.search"

    def __init__(self, take_pending, connection):
        super().__init__(connection.transaction_manager)
        self.take_pending = take_pending
        self.connection = connection

    def tpc_begin(self, txn):
        prepare(self.connection)

    def tpc_vote(self, txn):
        changes = self.take_pending()
        if changes:
            publish(commit_cursor(self.connection), changes)


def join(txn, take_pending, connection, dsn, store):
    """Publish the transaction's documents at commit, then catch up."""
    join_storage(connection)
    txn.join(LogParticipant(take_pending, connection))
    if (_catch_up, (dsn, store)) not in [
        (hook, args) for hook, args, _kws in txn.getAfterCommitHooks()
    ]:  # joined again after a savepoint rolled back: catch up once
        txn.addAfterCommitHook(_catch_up, (dsn, store))


def _catch_up(committed, dsn, store):
    if not committed:
        return
    try:
        # a busy lock means another thread or process is applying the log
        Follower(dsn, store).catch_up(wait=False)
    except Exception:
        logger.exception(
            "Applying the search change log after a commit failed; the follower will"
        )


def read_current(obj):
    """Fail the commit if ``obj`` or what its document is built from changed
    since this transaction read them: its case (state, attributes) and a
    container whose parties' addresses it masks (a transcript's hearing)."""
    jar = getattr(obj, "_p_jar", None)
    if jar is None:
        return
    case = obj
    while case is not None and not IPetitionCase.providedBy(case):
        case = aq_parent(aq_inner(case))
    container = aq_parent(aq_inner(obj))
    if not any(
        getattr(aq_base(container), name, None) for name in ("petitioners", "parties")
    ):
        container = None
    for holder in (obj, case, container):
        if (
            holder is not None
            and getattr(holder, "_p_jar", None) is jar
            and holder._p_oid is not None
        ):
            jar.readCurrent(holder)
