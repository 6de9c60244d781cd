"""A screened dispute that became a case (排查矛盾转为信访件), linked both ways.

A dispute is a row of its screening report's table, which has no id of
its own: it is known by a key made of what names it (matter, parties,
category).  The report keeps ``{key: case UID}``; the case keeps the
report's UID and the key.  Only a report the unit has submitted may turn
its disputes into cases (a draft may still change), and each dispute at
most once.
"""

from hashlib import sha1
from persistent.mapping import PersistentMapping
from plone import api
from xinfang_archive import _
from xinfang_archive.audit.recorder import record
from zope.interface import Invalid


LINKS_ATTRIBUTE = "dispute_cases"
SOURCE_ATTRIBUTE = "screening_source"
CONVERTIBLE_STATES = ("submitted", "accepted")


def dispute_key(row):
    """A short stable key of one dispute row."""
    text = "\n".join(
        str((row or {}).get(name) or "") for name in ("matter", "parties", "category")
    )
    return sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def dispute_of(report, key):
    """The dispute row of ``report`` with ``key``, or None."""
    for row in getattr(report, "disputes", None) or ():
        if row and dispute_key(row) == key:
            return row
    return None


def case_links(report):
    """{dispute key: case UID} of ``report`` (read-only view)."""
    return dict(getattr(report, LINKS_ATTRIBUTE, None) or {})


def source_of(case):
    """(report UID, dispute key) the case came from, or None."""
    source = getattr(case, SOURCE_ATTRIBUTE, None)
    return tuple(source) if source else None


def check_convertible(report, key):
    """The dispute ``key`` of ``report`` may become a case; else Invalid."""
    if api.content.get_state(report, default=None) not in CONVERTIBLE_STATES:
        raise Invalid(
            _("Only the disputes of a submitted screening report can become cases.")
        )
    if dispute_of(report, key) is None:
        raise Invalid(
            _("This dispute is not in the screening report (it may have been changed).")
        )
    if key in case_links(report):
        raise Invalid(_("This dispute has already become a case."))


def link(report, key, case):
    """Link ``case`` to the dispute ``key`` of ``report``, both ways, with an audit entry."""
    check_convertible(report, key)
    links = getattr(report, LINKS_ATTRIBUTE, None)
    if links is None:
        links = PersistentMapping()
        setattr(report, LINKS_ATTRIBUTE, links)
    links[key] = case.UID()
    setattr(case, SOURCE_ATTRIBUTE, (report.UID(), key))
    # the dispute by its key: its matter is free text, masked for most readers of the trail
    record(
        "dispute_to_case",
        report,
        details={
            "dispute": key,
            "case": getattr(case, "registration_number", None) or case.getId(),
        },
    )
