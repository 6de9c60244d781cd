"""The checks a record passes before anything of it is written: its
numbers, UIDs, field values and workflow, the records it names, one
screening report per unit and period, its archival data.  Every problem of
the record is reported at once (``RecordProblem``), and nothing is written."""

from plone import api
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.archival.states import FILED_STATES
from xinfang_archive.content.screening import duplicate_message
from xinfang_archive.exchange.archival_checks import archival_problems
from xinfang_archive.exchange.field_checks import field_problems
from xinfang_archive.exchange.reader import RecordProblem
from xinfang_archive.exchange.records import CONTAINERS
from xinfang_archive.exchange.targets import case_for
from xinfang_archive.reports.screening import find_report


class RecordChecks:
    def __init__(self, site, catalog):
        self.site = site
        self.catalog = catalog
        self.workflow = api.portal.get_tool("portal_workflow")

    def check(self, record, known):
        """Raises ``RecordProblem`` with every problem of ``record``;
        ``known`` (``duplicates.Known``) holds the UIDs already taken."""
        problems = _number_problems(record) + _twice(record)
        for path, item in record.walk():
            problems.extend(field_problems(self.site, item, path))
            if item.uid and item.uid in known.uids:
                problems.append(
                    _(
                        "The UID ${uid} already belongs to another record.",
                        mapping={"uid": item.uid},
                    )
                )
            problems.extend(self._workflow_problems(item))
        problems.extend(self._named_problems(record))
        if record.archival:
            problems.extend(archival_problems(record, self.site))
        elif record.state in FILED_STATES:
            problems.append(
                _("A filed case comes with its archival data (档号, manifest).")
            )
        if problems:
            raise RecordProblem(problems)

    def _workflow_problems(self, item):
        """The state is the last history entry's, and every state is one of
        the workflow's: an import cannot invent states or skip to filed."""
        if not item.workflow_id:
            return []
        wf = self.workflow.getWorkflowById(item.workflow_id)
        if wf is None or item.workflow_id not in self.workflow.getChainForPortalType(
            item.kind.portal_type
        ):
            return [
                _(
                    "Unknown workflow ${workflow} for ${what}.",
                    mapping={
                        "workflow": item.workflow_id,
                        "what": item.kind.portal_type,
                    },
                )
            ]
        unknown = sorted(
            {
                e["review_state"]
                for e in item.history
                if e["review_state"] not in wf.states
            }
        )
        if item.state not in wf.states:
            unknown = sorted(set(unknown) | {item.state})
        if unknown:
            return [
                _(
                    "Unknown workflow state ${state}.",
                    mapping={"state": ", ".join(unknown)},
                )
            ]
        if not item.history or item.history[-1]["review_state"] != item.state:
            return [
                _(
                    "The workflow history does not end in the state given (${state}).",
                    mapping={"state": item.state},
                )
            ]
        return []

    def _named_problems(self, record):
        """What a meeting or hearing names must be in the archive (the
        cases come before them); a screening report must be the only one
        of its unit and period."""
        if record.kind.element == "meeting":
            return self._decided_cases(record)
        if record.kind.element == "screening":
            return self._screening_problems(record)
        if record.kind.element == "hearing":
            return self._heard_cases(record)
        return []

    def _decided_cases(self, record):
        problems = []
        for row in record.values.get("decisions") or ():
            number = (row or {}).get("case_number")
            if number and case_for(self.catalog, None, number) is None:
                problems.append(
                    _(
                        "The meeting decides on a case that is not in the archive: ${case}.",
                        mapping={"case": number},
                    )
                )
        return problems

    def _heard_cases(self, record):
        return [
            _(
                "The hearing names a case that is not in the archive: ${case}.",
                mapping={"case": identifier or uid},
            )
            for uid, identifier in record.values.get("cases") or ()
            if case_for(self.catalog, uid, identifier) is None
        ]

    def _screening_problems(self, record):
        """One report per unit and period: another one already here is refused."""
        unit, period = record.values.get("unit"), record.values.get("period")
        folder = self.site.get(CONTAINERS["screening"])
        if not unit or not period or folder is None:
            return []
        other = find_report(folder, unit, period)
        if other is not None and IUUID(other, None) != record.uid:
            return [duplicate_message(unit, period)]
        return []


def _number_problems(record):
    """What a rerun knows a record by: a case its registration number, a
    hearing its number."""
    if record.kind.element == "case" and not record.values.get("registration_number"):
        return [_("A case needs its registration number (登记编号).")]
    if record.kind.element == "hearing" and not record.values.get("hearing_number"):
        return [_("A hearing needs its number (听证编号).")]
    return []


def _twice(record):
    uids = [item.uid for _path, item in record.walk() if item.uid]
    twice = sorted({uid for uid in uids if uids.count(uid) > 1})
    if twice:
        return [
            _(
                "Given twice in this import: ${what}.",
                mapping={"what": ", ".join(twice)},
            )
        ]
    return []
