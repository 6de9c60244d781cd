"""The result query's rate limits shared by every host of an archive in PostgreSQL.

``sharedlimit`` keeps the two sliding windows in a SQLite file that the
processes of one machine share; with several hosts each would count for
itself, and an attacker would get the limits once per host.  Here the
attempts are rows of the archive's database (``xinfang_ratelimit``), each
check-and-count one short transaction under an advisory lock, timed by
the database's clock (the hosts' clocks may differ).
"""

from xinfang_archive.cluster.database import connection_for
from xinfang_archive.cluster.database import database_time
from xinfang_archive.cluster.database import locked_transaction
from xinfang_archive.cluster.database import RATE_LOCK
from xinfang_archive.publicquery.ratelimit import client_key
from xinfang_archive.publicquery.ratelimit import CLIENT_WINDOW
from xinfang_archive.publicquery.ratelimit import GLOBAL
from xinfang_archive.publicquery.ratelimit import GLOBAL_WINDOW
from xinfang_archive.publicquery.ratelimit import PER_CLIENT

import math


class PostgresRateLimiter:
    """``hit(address)`` as ``RateLimiter.hit``; ``clock`` (tests) replaces the database's."""

    def __init__(
        self,
        dsn,
        per_client=PER_CLIENT,
        client_window=CLIENT_WINDOW,
        global_limit=GLOBAL,
        global_window=GLOBAL_WINDOW,
        clock=None,
    ):
        self.dsn = dsn
        self.per_client = per_client
        self.client_window = client_window
        self.global_limit = global_limit
        self.global_window = global_window
        self.clock = clock

    def reset(self):
        with connection_for(self.dsn).cursor() as cursor:
            cursor.execute("DELETE FROM xinfang_ratelimit")

    def hit(self, address):
        key = client_key(address)
        with locked_transaction(self.dsn, RATE_LOCK) as cursor:
            now = database_time(cursor) if self.clock is None else self.clock()
            cursor.execute(
                "DELETE FROM xinfang_ratelimit WHERE at <= %s",
                (now - max(self.client_window, self.global_window),),
            )
            cursor.execute(
                "SELECT count(*), min(at) FROM xinfang_ratelimit WHERE at > %s",
                (now - self.global_window,),
            )
            everyone, first_of_all = cursor.fetchone()
            cursor.execute(
                "SELECT count(*), min(at) FROM xinfang_ratelimit WHERE client = %s AND at > %s",
                (key, now - self.client_window),
            )
            mine, first_of_mine = cursor.fetchone()
            waits = []
            if mine >= self.per_client:
                waits.append(first_of_mine + self.client_window - now)
            if everyone >= self.global_limit:
                waits.append(first_of_all + self.global_window - now)
            if not waits:
                cursor.execute(
                    "INSERT INTO xinfang_ratelimit (client, at) VALUES (%s, %s)",
                    (key, now),
                )
        # committed either way: the expired rows go; a refused attempt is not counted
        return max(1, math.ceil(max(waits))) if waits else None
