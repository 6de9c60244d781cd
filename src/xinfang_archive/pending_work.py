"""Work a transaction does only if it commits, held until then.

The audit entries and the full-text documents of a transaction wait in a
data manager joined to the transaction on first use (``PendingWork.joined``)
and written in its two-phase commit.  They take part in savepoints as the
objects do: a savepoint notes the work held (``snapshot``), rolling it back
puts the work back as it was (``restore``), so whoever rolls a savepoint
back (``transaction.savepoint()``) drops the work done since without
knowing what waits where.  An abort or the end of the commit drops the
work (``clear``) and ends the data manager; the next use joins a new one.

A data manager that joins after a savepoint is aborted and leaves the
transaction when that savepoint is rolled back (``transaction``'s
``AbortSavepoint``): it is ended too, and the next use joins a new one.
"""

from transaction.interfaces import ISavepointDataManager
from zope.interface import implementer

import transaction


@implementer(ISavepointDataManager)
class PendingWork:
    """A transaction's pending work of one kind; subclasses say how it is
    held (``snapshot``, ``restore``, ``clear``) and written (the ``tpc_``
    methods, calling ``end`` once the transaction is decided)."""

    SORT_KEY = "~"  # after the ZODB's storages; subclasses name themselves

    def __init__(self, transaction_manager):
        self.transaction_manager = transaction_manager
        self.done = False

    @classmethod
    def joined(cls, *args):
        """The current transaction's work of this kind, joined on first use;
        ``args`` make a new one (before the transaction manager)."""
        txn = transaction.get()
        work = cls.current()
        if work is None:
            work = cls(*args, transaction.manager)
            txn.join(work)
            txn.set_data(cls, work)
            work.on_join(txn)
        return work

    @classmethod
    def current(cls):
        """The current transaction's work of this kind, or None (never joins)."""
        try:
            work = transaction.get().data(cls)
        except KeyError:
            return None
        return None if work.done else work

    def on_join(self, txn):
        """Called once the work joined ``txn``."""

    # the work held: none here (a participant that writes what others hold)

    def snapshot(self):
        """What ``restore`` needs to put the work back as it is now."""

    def restore(self, state):
        """Put the work back as it was at ``snapshot``."""

    def clear(self):
        """Drop the work."""

    def end(self):
        self.clear()
        self.done = True

    # the transaction's protocol

    def sortKey(self):
        return self.SORT_KEY

    def savepoint(self):
        return _Rollback(self, self.snapshot())

    def abort(self, txn):
        self.end()

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def tpc_finish(self, txn):
        self.end()

    def tpc_abort(self, txn):
        self.end()


class _Rollback:
    def __init__(self, work, state):
        self.work = work
        self.state = state

    def rollback(self):
        self.work.restore(self.state)
