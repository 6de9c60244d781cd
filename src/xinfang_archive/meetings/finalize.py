"""Finalizing a meeting puts each decision on its case.

Each decision with a due date, on a case not settled at the meeting and not
filed, becomes a supervision (督办, method ``meeting``) inside its case: the
case page lists it, the dashboard's supervision list shows its due date and
counts it overdue like any other supervision (``content/indexers.py``).
The case page also shows every finalized decision on the case
(``decisions_on_case``).  One audit entry per case decided on names the
meeting and the decision; the transition itself is audited as usual.
"""

from plone import api
from plone.dexterity.utils import createContentInContainer
from xinfang_archive import _
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.audit.recorder import record
from xinfang_archive.i18n import record_text
from xinfang_archive.meetings.decisions import decision_problems
from xinfang_archive.meetings.decisions import find_case
from xinfang_archive.meetings.decisions import holds_accusation
from xinfang_archive.meetings.decisions import rows_of
from xinfang_archive.vocabularies.registry import title_of
from zope.interface import Invalid


SUPERVISION_METHOD = "meeting"  # 会议交办, in the supervision methods list


def supervision_instructions(meeting, row, case):
    """What the supervision says: on a case holding accusation material only
    where to read the decision (its handlers may be the accused)."""
    if holds_accusation(case):
        return record_text(
            _(
                "Decided at ${meeting}: read the decision there (the case holds accusation material).",
                mapping={"meeting": meeting.Title()},
            )
        )
    unit = title_of("units", row.get("unit"))
    text = record_text(
        _(
            "Assigned to ${unit} by ${meeting}.",
            mapping={"unit": unit, "meeting": meeting.Title()},
        )
    )
    return f"{text}{row.get('instructions') or ''}"


def add_supervision(meeting, row, case):
    """The decision's due date as a supervision of the case (by the system:
    the reviewer who finalizes need not add supervisions to cases)."""
    with api.env.adopt_roles(["Manager"]):
        supervision = createContentInContainer(
            case,
            "Supervision",
            checkConstraints=False,
            method=SUPERVISION_METHOD,
            issued_by=f"{meeting.Title()}（{meeting.chair}）"
            if meeting.chair
            else meeting.Title(),
            issued_on=meeting.meeting_date,
            due_date=row["due_date"],
            instructions=supervision_instructions(meeting, row, case),
            done=False,
        )
    supervision.meeting_uid = meeting.UID()
    supervision.reindexObject()
    return supervision


def put_decisions_on_cases(meeting):
    problems = decision_problems(meeting.meeting_date, meeting.decisions or ())
    if problems:
        raise Invalid(problems[0])
    numbers = []
    for row in rows_of(meeting):
        number = row["case_number"].strip()
        case = find_case(number)
        supervision = None
        frozen = api.content.get_state(case, default=None) in FILED_STATES
        if row.get("due_date") and not row.get("settled") and not frozen:
            supervision = add_supervision(meeting, row, case)
        numbers.append(number)
        record(
            "meeting_decision",
            case,
            details={
                "meeting": meeting.Title(),
                "meeting_path": "/".join(
                    meeting.getPhysicalPath()[len(api.portal.get().getPhysicalPath()) :]
                ),
                "unit": row.get("unit") or "",
                "due_date": row["due_date"].isoformat() if row.get("due_date") else "",
                "settled": bool(row.get("settled")),
                "supervision": supervision.getId() if supervision is not None else "",
            },
        )
    return numbers


def meeting_transitioned(meeting, event):
    if event.transition is not None and event.transition.getId() == "finalize":
        put_decisions_on_cases(meeting)
