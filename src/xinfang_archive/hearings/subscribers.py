"""Event handlers of hearings and transcripts."""

from xinfang_archive.hearings.publication import withdraw_notice
from xinfang_archive.hearings.publication import write_notice


def minutes_transitioned(transcript, event):
    if event.transition is None:
        return
    if event.transition.id == "publish":
        write_notice(transcript)
    elif event.transition.id in ("retract", "withdraw"):
        withdraw_notice(transcript)


def _case_uids(hearing):
    uids = set()
    for relation in getattr(hearing, "cases", None) or ():
        case = getattr(relation, "to_object", None)
        if case is not None:
            uids.add(case.UID())
    return uids


def reindex_cases_of(hearing, event=None):
    """The hearing's days pause the 复核 clock of its cases: their deadline
    index follows any change of the hearing, of its cases (the ones it no
    longer names included) and of its state."""
    from plone import api

    current = _case_uids(hearing)
    previous = set(getattr(hearing, "_clock_case_uids", ()) or ())
    for uid in current | previous:
        case = api.content.get(UID=uid)
        if case is not None:
            case.reindexObject(idxs=["case_deadline"])
    if current != previous:
        hearing._clock_case_uids = tuple(sorted(current))
