"""A meeting's decisions on cases: their checks, and who may read each one.

A decision names its case by the case's registration number.  It must name
an existing case, an assigned unit, and a due date that is not before the
meeting; one decision per case and meeting.  The same checks answer the
add and edit forms (an invariant), additions and edits by code or REST (an
event guard) and the finalizing of the meeting.

A decision is about its case: whoever reads it must be allowed to view the
case, and a decision on a case holding accusation material (举报) is read
only by those who may see that material (never by the accused unit).
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.privacy.accusation import is_accusation_case
from xinfang_archive.privacy.accusation import may_read_about
from xinfang_archive.privacy.masking import text_for_viewer
from xinfang_archive.vocabularies.registry import unit_paths


FINALIZED = "finalized"


def find_case(number):
    """The case with registration number ``number`` (whoever asks), or None."""
    if not number:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="PetitionCase", registration_number=number
    ):
        return brain._unrestrictedGetObject()
    return None


def rows_of(meeting):
    return [dict(row) for row in (getattr(meeting, "decisions", None) or ()) if row]


def case_numbers(rows):
    return [
        row.get("case_number").strip()
        for row in rows
        if row and (row.get("case_number") or "").strip()
    ]


def decision_problems(meeting_date, rows):
    """Translatable messages, one per problem, of a meeting's decision rows."""
    problems, seen = [], set()
    for position, row in enumerate(rows or (), start=1):
        if not row:
            continue
        number = (row.get("case_number") or "").strip()
        if not number:
            problems.append(
                _("Decision ${row} names no case.", mapping={"row": position})
            )
        elif find_case(number) is None:
            problems.append(
                _(
                    "Decision ${row}: there is no case numbered ${number}.",
                    mapping={"row": position, "number": number},
                )
            )
        elif number in seen:
            problems.append(
                _(
                    "Case ${number} has two decisions at this meeting: give it one.",
                    mapping={"number": number},
                )
            )
        seen.add(number)
        if not row.get("unit"):
            problems.append(
                _(
                    "Decision ${row} assigns no unit: every decision names the unit that handles it.",
                    mapping={"row": position},
                )
            )
        due = row.get("due_date")
        if due and meeting_date and due < meeting_date:
            problems.append(
                _(
                    "Decision ${row}: the due date ${due} is before the meeting (${date}).",
                    mapping={
                        "row": position,
                        "due": due.isoformat(),
                        "date": meeting_date.isoformat(),
                    },
                )
            )
    return problems


def holds_accusation(case):
    """Whether the case is about an accusation (举报; ``privacy.accusation``)."""
    return is_accusation_case(case)


def may_read_decision(case):
    """Whether the current user may read a decision on ``case``."""
    return may_read_about(case)


def readable_decisions(meeting):
    """``[(row, case)]`` of the meeting's decisions the current user may read."""
    result = []
    for row in rows_of(meeting):
        case = find_case((row.get("case_number") or "").strip())
        if may_read_decision(case):
            result.append((row, case))
    return result


def meetings_of_case(case, states=(FINALIZED,)):
    """The meetings (in ``states``) that decided on ``case``, oldest first, whoever asks."""
    number = getattr(case, "registration_number", None)
    if not number:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    query = {
        "portal_type": "CoordinationMeeting",
        "meeting_cases": number,
        "sort_on": "meeting_date",
    }
    if states:
        query["review_state"] = list(states)
    return [
        brain._unrestrictedGetObject()
        for brain in catalog.unrestrictedSearchResults(**query)
    ]


def decisions_on_case(case):
    """``[(meeting, row)]``: the finalized decisions on ``case`` (for those who may read them)."""
    if not may_read_decision(case):
        return []
    number = case.registration_number
    result = []
    for meeting in meetings_of_case(case):
        for row in rows_of(meeting):
            if (row.get("case_number") or "").strip() == number:
                result.append((meeting, row))
    return result


def decision_rows_of_meeting(meeting):
    """The meeting's decisions the current user may read, with their cases."""
    units = unit_paths()
    return [
        {
            "case_number": case.registration_number,
            "case_title": case.Title(),
            "case_url": case.absolute_url(),
            "unit": row.get("unit") or "",
            "unit_title": units.get(row.get("unit"), row.get("unit") or ""),
            "due_date": (row["due_date"].isoformat() if row.get("due_date") else ""),
            "instructions": text_for_viewer(case, row.get("instructions") or ""),
            "settled": bool(row.get("settled")),
        }
        for row, case in readable_decisions(meeting)
    ]
