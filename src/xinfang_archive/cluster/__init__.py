"""What the hosts of one archive share in its PostgreSQL database.

An archive on RelStorage is served by several hosts, each with its own
``var/``.  What must be the same on every host and is not a ZODB object
lives in tables of the same PostgreSQL database: the full-text index's
change log (``search.changelog``), the audit chain, rate limits and job
locks.  ``database`` finds that database under a ZODB; ``commit`` writes
into it inside the ZODB commit, on RelStorage's own connection, so a row
is there exactly when the transaction that made it committed.
"""
