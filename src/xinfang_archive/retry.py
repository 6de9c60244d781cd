"""Work committed against a serving archive, done again after a conflict.

With ZEO the command line writes while the site serves: a commit may meet a
``ConflictError`` that ZODB cannot resolve (a web request changed the same
object first).  The publisher retries a request in that case; here the unit
of work is done again from its start on fresh state (a new transaction
begun after the pause, so that its view includes what was committed
meanwhile), never half-written: the aborted attempt leaves nothing, its
audit entries included (the trail takes part in the transaction).

A command is patient: a busy site may commit a registration every half
second, each touching the same catalog buckets and CMFEditions' one
``OOBTree`` of histories, and a unit of work can lose to it many times in a
row.  The command keeps trying for ``PATIENCE`` seconds, not a fixed number
of times, and says on the console that it is waiting.  Its units must stay
small (a record or a case each while the site serves) to get through.
"""

from xinfang_archive.savepoints import forget_catalog_query_cache
from ZODB.POSException import ConflictError

import logging
import random
import sys
import time
import transaction


logger = logging.getLogger(__name__)

ATTEMPTS = 8  # tried at least this often, however long it takes
PATIENCE = 600.0  # seconds a unit of work keeps trying against a busy site
LONGEST_PAUSE = 2.0  # seconds, before the random part


def commit_retrying(
    work,
    note,
    attempts=ATTEMPTS,
    pause=0.1,
    patience=PATIENCE,
    clock=time.monotonic,
    sleep=time.sleep,
):
    """``work()`` then commit with ``note``; after a conflict, abort and do
    both again, after a growing random pause, until it commits, or until it
    has been tried ``attempts`` times and ``patience`` seconds have passed
    (then the last conflict is raised).  Returns what ``work`` returned."""
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            result = work()
            transaction.get().note(note)
            transaction.commit()
        except ConflictError as error:
            transaction.abort()
            forget_catalog_query_cache()
            if attempt >= attempts and clock() - started >= patience:
                raise
            logger.info(
                "%s: conflict with another writer (%s), attempt %d",
                note,
                error,
                attempt + 1,
            )
            if attempt == ATTEMPTS:  # once: the operator sees why the command waits
                print(
                    f"网站正忙：{note} 与网站的写入冲突 {attempt} 次，继续重试"
                    f"（最多 {patience:.0f} 秒）",
                    file=sys.stderr,
                )
            # exponential up to LONGEST_PAUSE, random so that two that met do not meet again
            step = min(pause * 2 ** min(attempt - 1, 10), LONGEST_PAUSE)
            sleep(step * (1 + random.random()))  # noqa: S311 - jitter, not a secret
            # The abort fixed the connection's view of the database; a view as old
            # as the pause would lose to every commit made during it.  Begin anew.
            transaction.begin()
        else:
            if attempt > ATTEMPTS:
                logger.warning("%s: committed at attempt %d", note, attempt)
            return result
