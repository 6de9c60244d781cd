"""Work committed against a serving archive, done again after a conflict.

With ZEO the command line writes while the site serves: a commit may meet a
``ConflictError`` that ZODB cannot resolve (a web request changed the same
object first).  The publisher retries a request in that case; here the unit
of work is done again from its start on fresh state (the abort brings the
connection up to date), never half-written: the aborted attempt leaves
nothing, its audit entries included (the trail takes part in the
transaction).
"""

from xinfang_archive.savepoints import forget_catalog_query_cache
from ZODB.POSException import ConflictError

import logging
import random
import time
import transaction


logger = logging.getLogger(__name__)

ATTEMPTS = 8


def commit_retrying(work, note, attempts=ATTEMPTS, pause=0.1):
    """``work()`` then commit with ``note``; after a conflict, abort and do
    both again (at most ``attempts`` times, with a growing random pause).
    Returns what ``work`` returned."""
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            transaction.get().note(note)
            transaction.commit()
            return result
        except ConflictError as error:
            transaction.abort()
            forget_catalog_query_cache()
            if attempt == attempts:
                raise
            logger.info(
                "%s: conflict with another writer (%s), attempt %d of %d",
                note,
                error,
                attempt + 1,
                attempts,
            )
            # a growing pause (at most ten steps), random so that two that met do not meet again
            time.sleep(pause * min(attempt, 10) * (1 + random.random()))  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")
