"""Transaction participants that fail on purpose."""


class FailingVote:
    """A participant voting after the log (a later resource that fails)."""

    def __init__(self, manager):
        self.transaction_manager = manager

    def sortKey(self):
        return "~~failing"

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        raise RuntimeError("refused in the vote")

    def tpc_finish(self, txn):
        pass

    def tpc_abort(self, txn):
        pass

    abort = tpc_abort
