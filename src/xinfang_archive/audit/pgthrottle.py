"""The failed-login throttle shared by every host of an archive in PostgreSQL.

``throttle.Throttle`` counts in one process's memory: with several hosts
(and processes) the bound on what failed logins make the trail write
would hold once per process.  Here the same windows are rows of the
archive's database, each decision one short transaction under an advisory
lock, timed by the database's clock.  Sources beyond ``MAX_SOURCES``
are forgotten oldest first, as in memory.
"""

from xinfang_archive.audit.throttle import MAX_SOURCES
from xinfang_archive.audit.throttle import OVERALL
from xinfang_archive.audit.throttle import PER_SOURCE
from xinfang_archive.audit.throttle import WINDOW
from xinfang_archive.cluster.database import connection_for
from xinfang_archive.cluster.database import database_time
from xinfang_archive.cluster.database import locked_transaction
from xinfang_archive.cluster.database import THROTTLE_LOCK


EVERYONE = "*"  # the overall window's row (no client address looks like it)


class PostgresThrottle:
    def __init__(
        self, dsn, per_source=PER_SOURCE, overall=OVERALL, window=WINDOW, clock=None
    ):
        self.dsn = dsn
        self.per_source = per_source
        self.overall = overall
        self.window = window
        self.clock = clock

    def reset(self):
        with connection_for(self.dsn).cursor() as cursor:
            cursor.execute("DELETE FROM xinfang_login_throttle")

    def admit(self, source):
        """``(write, left_out)`` as ``Throttle.admit``."""
        with locked_transaction(self.dsn, THROTTLE_LOCK) as cursor:
            now = database_time(cursor) if self.clock is None else self.clock()
            total = self._window(cursor, EVERYONE, now)
            state = self._window(cursor, source, now)
            if state[1] >= self.per_source or total[1] >= self.overall:
                self._save(cursor, source, state[0], state[1], state[2] + 1)
                return False, 0
            self._save(cursor, EVERYONE, total[0], total[1] + 1, 0)
            self._save(cursor, source, state[0], state[1] + 1, 0)
            return True, state[2]

    def _window(self, cursor, source, now):
        """``(started, written, left_out)`` of ``source``'s current window."""
        cursor.execute(
            "SELECT started, written, left_out FROM xinfang_login_throttle WHERE source = %s",
            (source,),
        )
        row = cursor.fetchone()
        if row is not None and now - row[0] < self.window:
            return row
        if row is None:
            cursor.execute(
                "DELETE FROM xinfang_login_throttle WHERE source IN (SELECT source FROM xinfang_login_throttle "
                "WHERE source <> %s ORDER BY started DESC OFFSET %s)",
                (EVERYONE, MAX_SOURCES - 1),
            )
        return (now, 0, row[2] if row is not None else 0)

    @staticmethod
    def _save(cursor, source, started, written, left_out):
        cursor.execute(
            "INSERT INTO xinfang_login_throttle (source, started, written, left_out) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (source) DO UPDATE SET started = EXCLUDED.started, written = EXCLUDED.written, "
            "left_out = EXCLUDED.left_out",
            (source, started, written, left_out),
        )
