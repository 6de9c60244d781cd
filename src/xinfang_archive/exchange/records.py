"""Which content types the exchange format carries, under which element
names, and which records they hold."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    element: str  # element name in the exchange XML
    portal_type: str
    workflow: (
        str | None
    )  # its own workflow (documents, replies and supervisions follow their case)
    children: tuple = ()  # (group element, Kind element) of the records inside


CASE = Kind(
    "case",
    "PetitionCase",
    "xf_case_workflow",
    (("documents", "document"), ("replies", "reply"), ("supervisions", "supervision")),
)
DOCUMENT = Kind("document", "CaseDocument", None)
REPLY = Kind("reply", "Reply", None)
SUPERVISION = Kind("supervision", "Supervision", None)
HEARING = Kind(
    "hearing", "Hearing", "xf_hearing_workflow", (("transcripts", "transcript"),)
)
TRANSCRIPT = Kind("transcript", "HearingTranscript", "xf_minutes_workflow")
MEETING = Kind("meeting", "CoordinationMeeting", "xf_meeting_workflow")

ACCOUNTABILITY = Kind(
    "accountability", "AccountabilityRecord", "xf_accountability_workflow"
)
RECEPTION = Kind("reception", "LeaderReception", "xf_reception_workflow")
SCREENING = Kind("screening", "ScreeningReport", "xf_screening_workflow")
WARNING = Kind("warning", "EarlyWarning", "xf_warning_workflow")

KINDS = {
    kind.element: kind
    for kind in (
        CASE,
        DOCUMENT,
        REPLY,
        SUPERVISION,
        HEARING,
        TRANSCRIPT,
        MEETING,
        ACCOUNTABILITY,
        RECEPTION,
        SCREENING,
        WARNING,
    )
}
BY_TYPE = {kind.portal_type: kind for kind in KINDS.values()}
GROUPS = {
    group: KINDS[element] for kind in KINDS.values() for group, element in kind.children
}

# The top-level records in the order of an exchange document (exchange.xsd):
# first what cases name (their reception day, the report a dispute of theirs
# was screened in), then the cases, then what names cases.
EARLY = ("reception", "screening")
LATE = ("hearing", "meeting", "accountability", "warning")
ORDER = (*EARLY, "case", *LATE)
# Top-level records filed on their own (archival.records): their archival data travel with them.
FILED_ON_THEIR_OWN = ("screening", "warning")
# Where each kind of top-level record is imported to: the site's folder.
CONTAINERS = {
    "case": "cases",
    "hearing": "hearings",
    "meeting": "meetings",
    "accountability": "accountability",
    "reception": "receptions",
    "screening": "screening",
    "warning": "warnings",
}
