"""Publishing minutes: the masked notice on the public board.

The notice is written in the transaction of the ``publish`` transition, so
a refused or failed publication leaves no notice behind.  Its id comes from
the hearing number and is kept on the transcript, so the public URL stays
the same when the minutes are retracted and published again.
"""

from DateTime import DateTime
from plone import api
from plone.dexterity.utils import createContentInContainer
from Products.CMFCore.utils import getToolByName
from xinfang_archive.hearings.masks import masked_texts
from xinfang_archive.localtime import local_today
from xinfang_archive.setuphandlers import NOTICES_ID


NOTICE_WORKFLOW = "xf_notice_workflow"


def notice_board():
    return api.portal.get().get(NOTICES_ID)


def notice_of(transcript):
    notice_id = getattr(transcript, "notice_id", None)
    board = notice_board()
    if not notice_id or board is None:
        return None
    return board.get(notice_id)


def _new_notice_id(transcript, board):
    base = transcript.hearing().hearing_number.lower()
    candidate, number = base, 1
    while candidate in board.objectIds():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _set_state(notice, state):
    """Notices have no user transitions: their state follows the minutes."""
    wftool = getToolByName(notice, "portal_workflow")
    workflow = wftool[NOTICE_WORKFLOW]
    status = dict(wftool.getStatusOf(NOTICE_WORKFLOW, notice) or {})
    if status.get("review_state") == state:
        return
    status.update(
        {
            "review_state": state,
            "action": "publish" if state == "published" else "withdraw",
            "actor": api.user.get_current().getId(),
            "time": DateTime(),
            "comments": "",
        }
    )
    wftool.setStatusOf(NOTICE_WORKFLOW, notice, status)
    workflow.updateRoleMappingsFor(notice)


def write_notice(transcript):
    """Create or rewrite the public notice of ``transcript``; returns it."""
    hearing = transcript.hearing()
    board = notice_board()
    masked = masked_texts(transcript)
    turns = []
    for number, turn in enumerate(transcript.turns or ()):
        turns.append(
            {
                "speaker": masked[f"turns.{number}.speaker"],
                "role": (turn or {}).get("role"),
                "text": masked[f"turns.{number}.text"],
            }
        )
    values = {
        "title": masked["title"],
        "hearing_number": hearing.hearing_number,
        "hearing_date": hearing.hearing_date,
        "end_date": hearing.end_date,
        "place": hearing.place,
        "chair": hearing.chair,
        "panel": list(hearing.panel or ()),
        "agenda": masked["agenda"] or None,
        "turns": turns,
        "free_text": masked["free_text"] or None,
        "published_on": local_today(),
    }
    notice = notice_of(transcript)
    if notice is None:
        notice_id = _new_notice_id(transcript, board)
        notice = createContentInContainer(
            board, "HearingNotice", checkConstraints=False, id=notice_id, **values
        )
        transcript.notice_id = notice.getId()
    else:
        for name, value in values.items():
            setattr(notice, name, value)
    _set_state(notice, "published")
    notice.reindexObject()
    return notice


def withdraw_notice(transcript):
    notice = notice_of(transcript)
    if notice is not None:
        _set_state(notice, "withdrawn")
        notice.reindexObject()
    return notice
