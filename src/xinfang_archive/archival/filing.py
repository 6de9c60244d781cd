"""Filing (归档立案) a closed case: check, number, checksum, freeze.

Filing is the workflow transition ``file`` (closed → filed), for archivists
only.  Its *before* event computes a ``FilingPlan`` (the numbering group,
the retention period, the manifest of files and metadata digests) and the
four-properties check; any problem raises ``FilingRefused`` before anything
is written.  Its *after* event takes the item number in the same
transaction and writes the archival metadata, then freezes the case.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import UTC
from persistent.list import PersistentList
from plone import api
from plone.uuid.interfaces import IUUID
from Products.CMFCore.WorkflowCore import WorkflowException
from xinfang_archive import _
from xinfang_archive.accountability.filing import accountability_problems
from xinfang_archive.accountability.filing import file_accountability
from xinfang_archive.archival import checks
from xinfang_archive.archival import formats
from xinfang_archive.archival.checks import Problem
from xinfang_archive.archival.codes import CATEGORY
from xinfang_archive.archival.codes import FONDS
from xinfang_archive.archival.codes import Group
from xinfang_archive.archival.codes import ORGANISATION
from xinfang_archive.archival.codes import well_formed
from xinfang_archive.archival.freeze import freeze
from xinfang_archive.archival.manifest import files_of
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.manifest import read_bytes
from xinfang_archive.archival.manifest import records_of
from xinfang_archive.archival.numbering import group_state
from xinfang_archive.archival.numbering import next_number
from xinfang_archive.archival.numbering import take_number
from xinfang_archive.archival.records import record_facts
from xinfang_archive.archival.records import record_problems
from xinfang_archive.archival.records import record_type
from xinfang_archive.archival.retention import case_facts
from xinfang_archive.archival.retention import expiry
from xinfang_archive.archival.retention import period_for
from xinfang_archive.archival.retention import schedule_rules
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.archival.states import FILED
from xinfang_archive.audit.recorder import record
from xinfang_archive.hearings.filing import file_transcripts
from xinfang_archive.hearings.filing import hearing_problems
from xinfang_archive.meetings.filing import meeting_problems
from xinfang_archive.receptions.filing import reception_problems
from xinfang_archive.receptions.filing import record_reception
from xinfang_archive.savepoints import all_or_nothing
from xinfang_archive.vocabularies.registry import parse_lines
from ZODB.POSException import POSKeyError

import hashlib


CLOSED = "closed"
TRANSITION = "file"


class FilingRefused(Exception):
    """The case cannot be filed; ``problems`` says why (nothing was changed)."""

    def __init__(self, case, problems=None):
        if isinstance(case, FilingRefused):
            # CMFCore's workflow tool re-raises as ``type(error)(error)``
            case, problems = case.case, case.problems
        super().__init__(f"{case.getId()}: {len(problems)} problem(s)")
        self.case = case
        self.problems = problems


@dataclass
class FilingPlan:
    group: Group | None = None
    period: str | None = None
    rules: tuple = ()
    organisation_title: str = ""
    manifest: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def preview_code(self):
        """The 档号 the case would get if filed now (numbers are taken at filing)."""
        return self.group.code(next_number(self.group)) if self.group else ""


def organisation_for(case, settings):
    """``(code, title)`` of the 机构(问题) the case (or record) is filed under, or ``(None, None)``."""
    kind = record_type(case)
    if kind is not None:  # a record has a unit, and no category
        basis_value = (
            kind.unit_of(case) if settings.organisation_basis == "unit" else None
        )
    else:
        basis = (
            "responsible_unit" if settings.organisation_basis == "unit" else "category"
        )
        basis_value = getattr(case, basis, None)
    rows = {row[0]: row for row in parse_lines(settings.organisation_codes or [])}
    row = rows.get(basis_value or "") or rows.get("*")
    if row is None or len(row) < 2:
        return None, None
    return row[1], (row[2] if len(row) > 2 and row[2] else row[1])


def _group(case, plan):
    settings = filing_settings()
    problems = plan.problems
    fonds, category = (
        (settings.fonds_code or "").strip(),
        (settings.category_code or "").strip(),
    )
    if not FONDS.match(fonds):
        problems.append(
            Problem(
                checks.AUTHENTICITY,
                _(
                    "The fonds code ${code} is not four letters or digits.",
                    mapping={"code": fonds},
                ),
            )
        )
    if not CATEGORY.match(category):
        problems.append(
            Problem(
                checks.AUTHENTICITY,
                _(
                    "The category code ${code} is not two capital letters.",
                    mapping={"code": category},
                ),
            )
        )
    organisation, title = organisation_for(case, settings)
    if organisation is None:
        problems.append(
            Problem(
                checks.AUTHENTICITY,
                _(
                    "No organisation code is configured for this case's unit or category."
                ),
            )
        )
    elif not ORGANISATION.match(organisation):
        problems.append(
            Problem(
                checks.AUTHENTICITY,
                _(
                    "The organisation code ${code} is not capital letters and digits.",
                    mapping={"code": organisation},
                ),
            )
        )
    kind = record_type(case)
    if kind is not None:
        year, facts = kind.year_of(case), record_facts(case)
    else:
        closed = getattr(case, "closed_on", None)
        year, facts = (closed.year if closed else None), case_facts(case)
    rules = schedule_rules()
    plan.period, decided = period_for(facts, rules)
    plan.rules = tuple(rule.line for rule in decided)
    plan.organisation_title = title or ""
    if year is None or problems:
        return None
    group = Group(fonds, category, year, plan.period, organisation)
    if not well_formed(group.code(1)):
        problems.append(
            Problem(
                checks.AUTHENTICITY,
                _(
                    "The archival code ${code} is not well-formed.",
                    mapping={"code": group.code(1)},
                ),
            )
        )
        return None
    state = group_state(group)
    gaps = state.gaps() if state is not None else []
    if gaps:
        problems.append(
            Problem(
                checks.INTEGRITY,
                _(
                    "The numbering group ${group} has gaps: ${numbers}.",
                    mapping={
                        "group": group.key,
                        "numbers": ", ".join(map(str, gaps[:20])),
                    },
                ),
            )
        )
    return group


def _manifest(case, plan):
    for path, obj in records_of(case):
        plan.problems.extend(checks.metadata_problems(obj, path))
        plan.problems.extend(checks.document_file_problems(obj, path))
        plan.problems.extend(checks.accusation_problems(obj, path))
        uid = IUUID(obj, "")
        plan.manifest.append(
            {
                "path": path,
                "uid": uid,
                "field": METADATA,
                "sha256": metadata_digest(obj),
            }
        )
        for name, value in files_of(obj):
            try:
                data = read_bytes(value)
            except (POSKeyError, OSError):
                plan.problems.append(
                    Problem(
                        checks.INTEGRITY,
                        _(
                            "The file ${filename} is missing from the storage.",
                            mapping={"filename": value.filename},
                        ),
                        path,
                    )
                )
                continue
            inspected = formats.inspect(data, value.contentType, value.filename)
            if inspected.problem is not None:
                prop = checks.SECURITY if inspected.security else checks.USABILITY
                plan.problems.append(Problem(prop, inspected.problem, path))
            declared_pages = getattr(obj, "pages", None)
            if inspected.pages and declared_pages and inspected.pages != declared_pages:
                plan.problems.append(
                    Problem(
                        checks.AUTHENTICITY,
                        _(
                            "The page count ${declared} differs from the file's ${actual} pages.",
                            mapping={
                                "declared": declared_pages,
                                "actual": inspected.pages,
                            },
                        ),
                        path,
                    )
                )
            plan.manifest.append(
                {
                    "path": path,
                    "uid": uid,
                    "field": name,
                    "filename": value.filename or "",
                    "size": len(data),
                    "content_type": value.contentType or "",
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "pages": inspected.pages,
                    "kind": inspected.kind,
                }
            )


def make_plan(case):
    """The ``FilingPlan`` of ``case`` (or of a record filed on its own,
    ``archival.records``) with every problem the check finds."""
    plan = FilingPlan()
    if record_type(case) is not None:
        plan.problems.extend(record_problems(case))
        if api.content.get_state(case, default=None) != FILED:
            plan.group = _group(case, plan)
            _manifest(case, plan)
        return plan
    state = api.content.get_state(case, default=None)
    if state == FILED:
        plan.problems.append(
            Problem(
                checks.AUTHENTICITY,
                _(
                    "The case is already filed under ${code}.",
                    mapping={"code": getattr(case, "archival_code", "")},
                ),
            )
        )
        return plan
    if state != CLOSED:
        plan.problems.append(
            Problem(checks.AUTHENTICITY, _("Only closed cases can be filed."))
        )
    plan.problems.extend(checks.case_metadata_problems(case))
    plan.problems.extend(hearing_problems(case))
    plan.problems.extend(meeting_problems(case))
    plan.problems.extend(reception_problems(case))
    plan.problems.extend(accountability_problems(case))
    plan.group = _group(case, plan)
    _manifest(case, plan)
    return plan


def before_filing(case, event):
    """Refuse the ``file`` transition unless the check passes."""
    if event.transition is None or event.transition.getId() != TRANSITION:
        return
    plan = make_plan(case)
    if plan.problems:
        raise FilingRefused(case, plan.problems)
    case._v_filing_plan = plan


def after_filing(case, event):
    if event.transition is None or event.transition.getId() != TRANSITION:
        return
    plan = getattr(case, "_v_filing_plan", None) or make_plan(case)
    case._v_filing_plan = None
    if plan.problems:  # the before event was bypassed and the case changed since
        raise FilingRefused(case, plan.problems)
    apply_plan(case, plan)


def apply_plan(case, plan):
    group = plan.group
    number = take_number(group, IUUID(case))
    case.archival_code = group.code(number)
    case.fonds_code = group.fonds
    case.filing_year = group.year
    case.retention_period = plan.period
    case.retention_rules = plan.rules
    case.retention_expires = expiry(group.year, plan.period)
    case.organisation_code = group.organisation
    case.organisation_title = plan.organisation_title
    case.item_number = number
    case.filed_on = datetime.now(UTC)
    case.filed_by = api.user.get_current().getId()
    case.archival_manifest = tuple(plan.manifest)
    case.amendments = PersistentList()
    case.retention_history = PersistentList()
    if record_type(case) is None:
        record_reception(case)
    freeze(case)
    if record_type(case) is None:
        file_transcripts(case)
        file_accountability(case)
    record(
        "file",
        case,
        details={
            "archival_code": case.archival_code,
            "retention_period": plan.period,
            "files": sum(1 for entry in plan.manifest if entry["field"] != METADATA),
        },
    )
    case.reindexObject()


@dataclass
class BatchResult:
    filed: list = field(default_factory=list)  # (case, archival code)
    refused: list = field(default_factory=list)  # (case, problems)


def file_cases(cases):
    """File every case that passes its check; the others are reported."""
    result = BatchResult()
    for case in cases:
        # Each case all or nothing: a failure after the state changed (its
        # minutes, say) rolls the case back instead of leaving it half filed.
        try:
            with all_or_nothing():
                api.content.transition(obj=case, transition=TRANSITION)
        except FilingRefused as refused:
            result.refused.append((case, refused.problems))
        except (WorkflowException, api.exc.InvalidParameterError):
            result.refused.append(
                (
                    case,
                    [
                        Problem(
                            checks.AUTHENTICITY,
                            _(
                                "Filing is not possible: the case is not closed or you are not an archivist."
                            ),
                        )
                    ],
                )
            )
        else:
            result.filed.append((case, case.archival_code))
    return result
