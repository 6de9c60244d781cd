"""Meetings at the filing of a case.

A case that a meeting decided on while the meeting's minutes are still in
draft or under review is not complete (完整性): filing it is refused until
the minutes are final.  The kinds of the finalized meetings that decided on
a case are a fact of the retention schedule (key ``meeting``): the rules can
keep the files of cases settled by the leading group longer.
"""

from xinfang_archive import _
from xinfang_archive.archival.checks import INTEGRITY
from xinfang_archive.archival.checks import Problem
from xinfang_archive.meetings.decisions import meetings_of_case


UNFINISHED = ("draft", "review")


def meeting_problems(case):
    return [
        Problem(
            INTEGRITY,
            _(
                "The minutes of ${meeting}, which decided on this case, are not final yet.",
                mapping={"meeting": meeting.Title()},
            ),
        )
        for meeting in meetings_of_case(case, states=UNFINISHED)
    ]


def meeting_kinds(case):
    """The kinds of the finalized meetings that decided on ``case``."""
    return frozenset(
        kind
        for kind in (getattr(m, "kind", None) for m in meetings_of_case(case))
        if kind
    )
