"""Reception days at the filing of a case.

A case received at a reception day is complete (完整性) only once the day
is recorded as held: filing it before is refused.  When it is filed, the
leader's instructions and follow-ups on it are copied into the case file
(``reception_record``, frozen with the case), so the filed file holds the
批示 it was handled under even if the reception's record is edited later.
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.archival.checks import INTEGRITY
from xinfang_archive.archival.checks import Problem
from xinfang_archive.content.reception_links import reception_of


RECEIVED = "received"
INSTRUCTED = "instructed"


def reception_problems(case):
    reception = reception_of(case)
    if reception is None or api.content.get_state(reception, default=None) == "held":
        return []
    return [
        Problem(
            INTEGRITY,
            _(
                "The reception day ${title} at which the case was received is not recorded as held yet.",
                mapping={"title": reception.Title()},
            ),
        )
    ]


def rows_for(case, reception):
    number = case.registration_number
    return {
        name: tuple(
            dict(row)
            for row in (getattr(reception, name, None) or ())
            if row and row.get("case_number") == number
        )
        for name in ("instructions", "follow_ups")
    }


def reception_facts(case):
    """The values of the retention key ``reception``: received, instructed."""
    reception = reception_of(case)
    if reception is None:
        return frozenset()
    facts = {RECEIVED}
    if rows_for(case, reception)["instructions"]:
        facts.add(INSTRUCTED)
    return frozenset(facts)


def record_reception(case):
    """Copy the reception's record of the case into the case (at filing)."""
    reception = reception_of(case)
    if reception is None:
        return None
    record = dict(
        rows_for(case, reception),
        reception=reception.Title(),
        reception_uid=reception.UID(),
    )
    case.reception_record = record
    return record
