"""What a warning shows of its records, to the current user: the cases and
screening reports it names that the user may read (an accusation case's
only to those who may see its material), by registration number or title.
Pages and REST both read it (``records_for_viewer``)."""

from plone import api
from xinfang_archive.privacy.accusation import may_read_about
from xinfang_archive.vocabularies.registry import title_of


def records_for_viewer(warning):
    """[{"uid", "url", "number", "title", "unit", "type"}] of the records the user may read."""
    uids = list(getattr(warning, "records", None) or ())
    if not uids:
        return []
    shown = []
    for brain in api.content.find(UID=uids, sort_on="received_date"):
        obj = brain.getObject() if brain.portal_type == "PetitionCase" else None
        if obj is not None and not may_read_about(obj):
            continue
        shown.append(
            {
                "uid": brain.UID,
                "url": brain.getURL(),
                "type": brain.portal_type,
                "number": getattr(brain, "registration_number", None) or "",
                "title": brain.Title,
                "unit": title_of("units", getattr(brain, "case_unit", None)),
            }
        )
    return shown
