"""When a reception day may be published or recorded as held.

One function serves the workflow guard (``transition_allowed``), the
reception page and the REST answer, so a refusal always says why.
"""

from datetime import datetime
from xinfang_archive import _
from xinfang_archive.localtime import LOCAL_TIME


def now():
    return datetime.now(LOCAL_TIME)


def publish_problems(reception, moment=None):
    """A reception day is published in advance: never once it has begun."""
    starts = reception.starts()
    if starts is None:
        return [_("The reception has no date: it cannot be published.")]
    if starts <= (moment or now()):
        return [
            _(
                "The reception day ${day} has already begun or passed: it cannot be "
                "published as a coming reception. Record it as held instead.",
                mapping={"day": reception.reception_date.isoformat()},
            )
        ]
    return []


def hold_problems(reception, moment=None):
    day = getattr(reception, "reception_date", None)
    if day is not None and day > (moment or now()).date():
        return [
            _(
                "The reception day ${day} has not come yet: it cannot be recorded as held.",
                mapping={"day": day.isoformat()},
            )
        ]
    return []


def transition_problems(reception, transition_id):
    if transition_id == "publish":
        return publish_problems(reception)
    if transition_id == "hold":
        return hold_problems(reception)
    return []
