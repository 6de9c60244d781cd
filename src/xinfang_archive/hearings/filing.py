"""Hearings at the filing of a case.

A case whose hearing is still only scheduled, or whose transcript is not yet
approved, is not complete (完整性): filing it is refused.  When the case is
filed, the approved or published transcripts of its hearings are filed with
it once every case of the hearing is filed (``file`` in ``xf_minutes_workflow``):
frozen by their workflow; a published notice stays public until it is
withdrawn (``withdraw``, which leaves the minutes filed).
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.archival.checks import INTEGRITY
from xinfang_archive.archival.checks import Problem
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.content.interfaces import IHearingTranscript
from xinfang_archive.hearings.clock import linked_hearings


UNFINISHED = ("draft", "submitted")
FILEABLE = ("approved", "published")


def _transcripts(hearing):
    return [obj for obj in hearing.objectValues() if IHearingTranscript.providedBy(obj)]


def hearing_problems(case):
    problems = []
    for hearing in linked_hearings(case):
        state = api.content.get_state(hearing, default=None)
        number = hearing.hearing_number
        if state == "cancelled":
            continue
        if state == "scheduled":
            problems.append(
                Problem(
                    INTEGRITY,
                    _(
                        "Hearing ${number} is still scheduled: mark it as held or cancel it.",
                        mapping={"number": number},
                    ),
                )
            )
            continue
        transcripts = _transcripts(hearing)
        if not transcripts:
            problems.append(
                Problem(
                    INTEGRITY,
                    _(
                        "Hearing ${number} has no transcript.",
                        mapping={"number": number},
                    ),
                )
            )
        for transcript in transcripts:
            if api.content.get_state(transcript, default=None) in UNFINISHED:
                problems.append(
                    Problem(
                        INTEGRITY,
                        _(
                            "The transcript of hearing ${number} is not approved yet.",
                            mapping={"number": number},
                        ),
                    )
                )
    return problems


def cases_all_filed(hearing):
    cases = [
        getattr(r, "to_object", None) for r in getattr(hearing, "cases", None) or ()
    ]
    return bool(cases) and all(
        case is not None and api.content.get_state(case, default=None) in FILED_STATES
        for case in cases
    )


def file_transcripts(case):
    """File the finished transcripts of the case's hearings whose cases are
    now all filed (a hearing on several cases is filed with the last of
    them); returns them."""
    filed = []
    for hearing in linked_hearings(case):
        if not cases_all_filed(hearing):
            continue
        for transcript in _transcripts(hearing):
            if api.content.get_state(transcript, default=None) in FILEABLE:
                api.portal.get_tool("portal_workflow").doActionFor(transcript, "file")
                filed.append(transcript)
    return filed
