"""Holds (冻结): recorded in the audit trail when placed and released.

Whether a record is held is asked of the catalog (``disposition.held``):
an active Hold naming its archival code.
"""

from xinfang_archive.archival.disposition import clean_codes
from xinfang_archive.audit.recorder import record


def hold_added(hold, event):
    record(
        "hold",
        hold,
        details={
            "archival_codes": clean_codes(hold.archival_codes),
            "reason": hold.reason,
            "authority": hold.authority or "",
        },
    )


def hold_transitioned(hold, event):
    if event.transition is not None and event.transition.getId() == "release":
        record(
            "release",
            hold,
            details={
                "archival_codes": clean_codes(hold.archival_codes),
                "comment": (event.status or {}).get("comments", "") or "",
            },
        )
