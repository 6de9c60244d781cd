"""Accountability records at the filing of a case.

A case named by an accountability record that is still a draft is not
complete (完整性): the decision belongs in its file, so filing waits for it.
When the last case a decided record names is filed, the record is filed with
it (frozen like the case: only an amendment changes it).  The measures of
the decided records that name a case are a key of the retention schedule
(``accountability=…``, ``archival/retention.py``).
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.archival.checks import INTEGRITY
from xinfang_archive.archival.checks import Problem
from xinfang_archive.archival.freeze import freeze
from xinfang_archive.archival.freeze import is_frozen
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.audit.recorder import record as audit
from xinfang_archive.content.interfaces import IAccountabilityRecord


DECIDED = "decided"


def records_of(case):
    """The accountability records that name ``case`` (back references of their ``linked_cases``)."""
    try:
        relations = api.relation.get(
            target=case, relationship="linked_cases", unrestricted=True
        )
    except Exception:  # no relation catalog (a bare test site)
        return []
    found = []
    for relation in relations:
        source = relation.from_object
        if source is not None and IAccountabilityRecord.providedBy(source):
            found.append(source)
    return found


def decided_measures(case):
    """The measures of the decided records that name ``case``."""
    return frozenset(
        record.measure
        for record in records_of(case)
        if api.content.get_state(record, default=None) == DECIDED
        and getattr(record, "measure", None)
    )


def accountability_problems(case):
    problems = []
    for record in records_of(case):
        if api.content.get_state(record, default=None) != DECIDED:
            problems.append(
                Problem(
                    INTEGRITY,
                    _(
                        "Accountability record ${number} on this case is not decided yet.",
                        mapping={
                            "number": getattr(record, "record_number", "")
                            or record.getId()
                        },
                    ),
                )
            )
    return problems


def cases_all_filed(record):
    cases = [
        getattr(r, "to_object", None)
        for r in getattr(record, "linked_cases", None) or ()
    ]
    return bool(cases) and all(
        case is not None and api.content.get_state(case, default=None) in FILED_STATES
        for case in cases
    )


def file_accountability(case):
    """Freeze the decided records of ``case`` whose cases are now all filed; returns them."""

    filed = []
    for record in records_of(case):
        if (
            api.content.get_state(record, default=None) == DECIDED
            and not is_frozen(record)
            and cases_all_filed(record)
        ):
            freeze(record)
            audit(
                "file",
                record,
                details={"with_case": getattr(case, "archival_code", "")},
            )
            filed.append(record)
    return filed
