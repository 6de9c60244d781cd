"""Fixity of filed records in storage: missing and changed told apart, runs recorded."""

from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.dexterity.utils import createContentInContainer
from tests.helpers.archival import add_document
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from xinfang_archive.archival.fixity import CHANGED
from xinfang_archive.archival.fixity import INTACT
from xinfang_archive.archival.fixity import last_run
from xinfang_archive.archival.fixity import MISSING
from xinfang_archive.archival.fixity import record_run
from xinfang_archive.archival.fixity import recorded_runs
from xinfang_archive.archival.fixity import run_fixity
from xinfang_archive.audit.recorder import audit_store

import pytest
import transaction


# Corrupted and deleted blob files: tests/test_cli.py, on a real FileStorage
# (the test layers' stacked DemoStorages do not report a lost blob as such).


@pytest.fixture()
def filed_cases(functional_portal):
    """Two filed cases of two PDF documents each, committed."""
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    cases = []
    for title in ("甲", "乙"):
        case = createContentInContainer(
            functional_portal["cases"], "PetitionCase", **case_data(title=title)
        )
        add_document(case, title=f"{title}的报告")
        add_document(case, title=f"{title}的笔录")
        close_case(case)
        cases.append(case)
    setRoles(functional_portal, TEST_USER_ID, ["Archivist"])
    for case in cases:
        do(case, "file")
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    transaction.commit()
    return cases


def documents(case):
    return [d for d in case.objectValues() if d.portal_type == "CaseDocument"]


def test_intact_archive(filed_cases, functional_portal):
    run = run_fixity(functional_portal)
    assert run.ok
    assert run.files_checked == 4
    assert (
        run.count(INTACT) == len(run.results) == 4 + 2 * 4
    )  # files + one digest per record


def test_metadata_changed_behind_the_freeze_is_reported(filed_cases, functional_portal):
    case = filed_cases[0]
    case.summary = "被悄悄改过的内容"  # no event, no amendment
    transaction.commit()
    problems = run_fixity(functional_portal).problems()
    assert [(p.status, p.field, p.archival_code) for p in problems] == [
        (CHANGED, "metadata", case.archival_code)
    ]


def test_a_vanished_case_is_missing(filed_cases, functional_portal):
    """The register of item numbers, not the catalog, says what must be there."""
    case = filed_cases[1]
    code = case.archival_code
    folder = functional_portal["cases"]
    folder._delOb(case.getId())  # behind every event and the catalog
    folder._objects = tuple(o for o in folder._objects if o["id"] != case.getId())
    transaction.commit()
    run = run_fixity(functional_portal)
    assert [(r.archival_code, r.status) for r in run.problems()] == [(code, MISSING)]


def test_runs_are_recorded_in_the_site_and_the_audit_trail(
    filed_cases, functional_portal
):
    documents(filed_cases[0])[0].document_number = "篡改〔2024〕1号"
    transaction.commit()
    first = record_run(functional_portal, run_fixity(functional_portal))
    transaction.commit()
    assert last_run(functional_portal) is first
    assert first.counts == {INTACT: len(first.results) - 1, CHANGED: 1, MISSING: 0}
    assert first.problems[0][4] == CHANGED
    assert [r.started for r in recorded_runs(functional_portal)] == [first.started]
    entry = list(audit_store().iter_entries(action="fixity"))[-1]
    assert entry.details["changed"] == 1 and entry.details["problems"][0][4] == CHANGED
