"""The public schedule of reception days and the record of the cases received.

``upcoming`` is what the public page and feed show: published reception
days that have not ended, soonest first, searched as the current user and
cut to a page (an anonymous visitor never makes the server read more than
one page of objects).  ``PUBLIC_FIELDS`` are the only fields they show.
``received`` is the reception's record per case: only the cases the user
may View (need-to-know by unit; accusation cases never reach the accused
unit), their instructions and follow-ups masked for those without "View
personal data".
"""

from DateTime import DateTime
from plone import api
from xinfang_archive.content.reception_links import received_cases
from xinfang_archive.privacy.accusation import may_read_about
from xinfang_archive.privacy.masking import rows_for_viewer


MAX_PAGE = 50
MAX_START = 5000  # deeper pages of a schedule are not served
PUBLIC_FIELDS = (
    "leader",
    "post",
    "responsibilities",
    "reception_date",
    "start_time",
    "end_time",
    "place",
    "notes",
)


def upcoming(folder, limit=MAX_PAGE, start=0, moment=None):
    """(total, receptions) of the published, not yet ended reception days."""
    limit = max(1, min(int(limit), MAX_PAGE))
    start = max(0, min(int(start), MAX_START))
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(
        portal_type="LeaderReception",
        review_state="published",
        path="/".join(folder.getPhysicalPath()),
        end={"query": DateTime(moment) if moment else DateTime(), "range": "min"},
        sort_on="start",
        sort_order="ascending",
        sort_limit=start + limit,
    )
    total = getattr(brains, "actual_result_count", None) or len(brains)
    return total, [brain.getObject() for brain in brains[start : start + limit]]


def public_entry(reception):
    """The fields the public sees, as text."""
    entry = {name: getattr(reception, name, None) for name in PUBLIC_FIELDS}
    entry["title"] = reception.Title()
    entry["url"] = reception.absolute_url()
    entry["time"] = "{}–{}".format(
        reception.start_time.strftime("%H:%M") if reception.start_time else "",
        reception.end_time.strftime("%H:%M") if reception.end_time else "",
    )
    return entry


def _addresses(case):
    return [
        row.get("address")
        for row in (case.petitioners or ())
        if row and row.get("address")
    ]


def known_addresses(reception):
    """The petitioners' addresses of every case received (masked wherever
    the record of the day names them)."""
    return [
        address for case in received_cases(reception) for address in _addresses(case)
    ]


def received(reception):
    """The cases received that the user may View, each with its instructions
    and follow-ups (masked as the case's own free text is); an accusation
    case only for those who may see accusation material."""
    instructions = [
        row for row in getattr(reception, "instructions", None) or () if row
    ]
    follow_ups = [row for row in getattr(reception, "follow_ups", None) or () if row]
    result = []
    for case in received_cases(reception):
        if not may_read_about(case):
            continue
        number = case.registration_number
        addresses = _addresses(case)
        result.append(
            {
                "case": case,
                "number": number,
                "title": case.title,
                "url": case.absolute_url(),
                "state": api.content.get_state(case, default=""),
                "instructions": rows_for_viewer(
                    case,
                    [r for r in instructions if r.get("case_number") == number],
                    texts=("instruction",),
                    addresses=addresses,
                ),
                "follow_ups": sorted(
                    rows_for_viewer(
                        case,
                        [r for r in follow_ups if r.get("case_number") == number],
                        texts=("note",),
                        addresses=addresses,
                    ),
                    key=lambda row: row.get("day") or "",
                ),
            }
        )
    return result


def for_case(case, reception):
    """The reception's record of one case (its instructions and follow-ups) for the case page."""
    for entry in received(reception):
        if entry["case"] is case or entry["case"].UID() == case.UID():
            return entry
    return None
