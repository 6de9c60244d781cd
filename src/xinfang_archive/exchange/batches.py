"""An import commits in batches of records; a batch is in whole or not at
all.

After a conflict with another writer (the site serving while the import
runs, or another worker of a parallel import) the batch is aborted and its
records are written again on fresh state: the import's own state goes back
to where the batch began and each record of the batch is imported again.
A dry run writes exactly as a real one but never commits: a savepoint moves
its changes out of memory, and the end aborts them."""

from xinfang_archive.retry import commit_retrying
from xinfang_archive.savepoints import forget_catalog_query_cache

import logging
import transaction


logger = logging.getLogger("xinfang_archive.exchange")
# A parallel worker meets the other workers' commits all the time (the
# catalog's record table, whose young BTree has one root every bucket split
# rewrites), so it tries many more times.
WORKER_ATTEMPTS = 200


class Batches:
    """The records written since the last commit, and their commit.

    The importer lends its state: ``snapshot()`` returns it as at the
    start of a batch, ``restore(state)`` puts it back, ``redo(call)``
    imports a record of the batch again, and ``settle(final)`` is done
    before each commit (relations mended)."""

    def __init__(
        self,
        report,
        *,
        commit_every,
        dry_run,
        note,
        attempts,
        snapshot,
        restore,
        redo,
        settle,
    ):
        self.report = report
        self.commit_every = commit_every
        self.dry_run = dry_run
        self.note = note
        self.attempts = attempts
        self.snapshot, self.restore, self.redo, self.settle = (
            snapshot,
            restore,
            redo,
            settle,
        )
        self.uncommitted = 0
        self.replaying = False
        self._start()

    def add(self, call):
        """A record taken up (the arguments to import it again)."""
        if not self.replaying:
            self.calls.append(call)

    def written(self):
        """A record written: the batch is committed when it is full."""
        self.uncommitted += 1
        if self.uncommitted >= self.commit_every and not self.replaying:
            self.commit()

    def commit(self, final=False):
        if self.dry_run:
            self.settle(final)
            # never committed; a savepoint moves the changes out of memory
            if final:
                transaction.abort()
                forget_catalog_query_cache()
            else:
                transaction.savepoint(optimistic=True)
        else:
            tries = []

            def write():
                if tries:
                    logger.info("import batch met a concurrent writer: written again")
                    self._replay()
                    self.report.rewritten += 1
                tries.append(True)
                self.settle(final)

            commit_retrying(
                write,
                f"{self.note}: {self.uncommitted} items",
                attempts=self.attempts,
            )
        self.uncommitted = 0
        self._start()

    def _start(self):
        self.calls = []
        self.at_start = self.snapshot()

    def _replay(self):
        """The state at the start of the batch, then its records again (the
        site as committed now: the UIDs and numbers are read again)."""
        self.restore(self.at_start)
        self.uncommitted = 0
        self.replaying = True
        try:
            for call in self.calls:
                self.redo(call)
        finally:
            self.replaying = False
