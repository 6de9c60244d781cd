"""Filing (归档立案) the records that are not cases: a unit's screening
report, an acknowledged early warning, and the other petition-work records
that name them here.

Such a record is filed on its own, like a case: by the ``file`` transition
of its own workflow (archivists only), after the same four-properties check
of its metadata and files, under a 档号 of DA/T 22 whose year is the
record's own (a report's period, a meeting's date) and whose organisation
is its unit's (the organisation codes of the filing settings, or their
``*`` row).  The retention schedule reads it through the key ``record``
(``record=screening|D10|…``) and its ``unit``; a rule on what only cases
have (category, stage…) does not hold for it, so the default rule applies
when no ``record=`` rule names its type.
"""

from dataclasses import dataclass
from plone import api
from xinfang_archive import _
from xinfang_archive.archival import checks
from xinfang_archive.archival.checks import Problem
from xinfang_archive.archival.states import FILED


TRANSITION = "file"


@dataclass(frozen=True)
class RecordType:
    portal_type: str
    key: str  # its value of the retention key ``record``
    title: str  # translatable
    ready: tuple  # the states it is filed from
    year_attribute: (
        str  # the attribute its filing year is read from (a date or "2026-11")
    )
    unit_attribute: str = "unit"

    def year_of(self, obj):
        value = getattr(obj, self.year_attribute, None)
        if hasattr(value, "year"):
            return value.year
        text = str(value or "")
        return int(text[:4]) if text[:4].isdigit() else None

    def unit_of(self, obj):
        return getattr(obj, self.unit_attribute, None)


RECORD_TYPES = {
    record.portal_type: record
    for record in (
        RecordType(
            "ScreeningReport",
            "screening",
            _("Dispute screening report"),
            ("accepted",),
            "period",
        ),
        RecordType(
            "EarlyWarning",
            "warning",
            _("Early warning"),
            ("acknowledged",),
            "occurred_on",
        ),
    )
}
RECORD_KEYS = {record.key: record.title for record in RECORD_TYPES.values()}


def record_type(obj):
    return RECORD_TYPES.get(getattr(obj, "portal_type", None))


def record_facts(obj):
    """``{key: frozenset(values)}`` of a record, as the retention rules read it."""
    kind = record_type(obj)
    unit = kind.unit_of(obj) if kind else None
    return {
        "record": frozenset([kind.key]) if kind else frozenset(),
        "unit": frozenset([unit]) if unit else frozenset(),
    }


def record_problems(obj):
    """What keeps ``obj`` from being filed now, beyond the shared checks."""
    kind = record_type(obj)
    state = api.content.get_state(obj, default=None)
    if state == FILED:
        return [
            Problem(
                checks.AUTHENTICITY,
                _(
                    "The record is already filed under ${code}.",
                    mapping={"code": getattr(obj, "archival_code", "")},
                ),
            )
        ]
    problems = []
    if kind is None or state not in kind.ready:
        problems.append(
            Problem(
                checks.AUTHENTICITY,
                _("This record cannot be filed in its present state."),
            )
        )
    if kind is not None and kind.year_of(obj) is None:
        problems.append(
            Problem(
                checks.AUTHENTICITY, _("The record states no year to file it under.")
            )
        )
    return problems
