"""The hearing organizer's home: hearings ahead; transcripts and minutes
to review (submitted) or to publish (approved)."""

from DateTime import DateTime
from xinfang_archive import _
from xinfang_archive.setuphandlers import HEARINGS_ID
from xinfang_archive.workflow.titles import state_text
from xinfang_archive.worklists.block import day_of
from xinfang_archive.worklists.block import list_block
from xinfang_archive.worklists.block import ROWS_SHOWN


def hearings_ahead(catalog, request, today, portal_url):
    """Scheduled hearings from today on, the nearest first (Plone's ``start``
    index holds a hearing's date)."""
    brains = catalog(
        portal_type="Hearing",
        review_state="scheduled",
        start={"query": DateTime(today.isoformat()), "range": "min"},
        sort_on="start",
        sort_limit=ROWS_SHOWN,
    )
    return list_block(
        "xf-home-hearings",
        _("Hearings ahead"),
        brains,
        lambda brain: day_of(brain.start),
        f"{portal_url}/{HEARINGS_ID}",
    )


def transcripts_to_act_on(catalog, request, today, portal_url):
    brains = catalog(
        portal_type="HearingTranscript",
        review_state=("submitted", "approved"),
        sort_on="modified",
        sort_limit=ROWS_SHOWN,
    )
    return list_block(
        "xf-home-transcripts",
        _("Transcripts and minutes to review or publish"),
        brains,
        lambda brain: state_text(brain.review_state, "HearingTranscript", request),
        f"{portal_url}/{HEARINGS_ID}",
    )


BLOCKS = (hearings_ahead, transcripts_to_act_on)
