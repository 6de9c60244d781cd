"""The state of fixity checking as a person reads it: the last run, its
problems, and whether it is overdue (the archive office, the archivist's home)."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from xinfang_archive.archival.fixity import last_run
from xinfang_archive.localtime import local_text


# Fixity runs nightly; none for a night and a half means the job failed or is not scheduled.
OVERDUE_AFTER = timedelta(hours=36)


def fixity_summary(site, now=None):
    """The last fixity run; ``overdue`` when none completed for longer than a
    night and a half (the scheduled job failed, or none is scheduled)."""
    run = last_run(site)
    if run is None:
        return None
    now = now or datetime.now(UTC)
    started = run.started if run.started.tzinfo else run.started.replace(tzinfo=UTC)
    return {
        "started": local_text(run.started, seconds=False),
        "counts": run.counts,
        "ok": run.ok,
        "overdue": now - started > OVERDUE_AFTER,
        "problems": [
            {
                "code": p[0],
                "path": p[1],
                "field": p[2],
                "filename": p[3],
                "status": p[4],
                "detail": p[5],
            }
            for p in run.problems[:50]
        ],
    }
