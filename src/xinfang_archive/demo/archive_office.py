"""Demo work for the archive office (档案管理), so that each of its screens
shows something:

* cases refused twelve years ago (kept ten years): filed with the rest,
  they are due for appraisal;
* an appraisal executed by two archivists (a destroyed record and its
  tombstone), one waiting for the second archivist's approval;
* a transfer to the archives (a package in the transfer directory);
* a hold on a due record;
* three fixity runs: two days ago all intact; yesterday one changed file
  (the demo changes its bytes on purpose, as bit rot or tampering would);
  the file restored, today all intact again.

The archivists are the demo staff ``archivist`` and ``archivist2`` (four
eyes).  The caller commits each unit of work.
"""

from datetime import date
from datetime import timedelta
from plone import api
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.archival import disposition
from xinfang_archive.archival.fixity import record_run
from xinfang_archive.archival.fixity import recorded_runs
from xinfang_archive.archival.fixity import run_fixity
from xinfang_archive.archival.transfer import destination_problems
from xinfang_archive.demo.generator import CaseGenerator
from xinfang_archive.localtime import local_today
from xinfang_archive.setuphandlers import OFFICE_ID

import random


LEGACY_YEARS = 12  # past the ten years a refused petition is kept
LEGACY_CASES = 6
LEGACY_SHARE = 8  # one legacy case per this many demo cases, at most LEGACY_CASES


def legacy_count(demo_cases):
    """A small demo (a test's handful of cases) gets none."""
    return min(LEGACY_CASES, demo_cases // LEGACY_SHARE)


PROPOSER, APPROVER = "archivist", "archivist2"


class _OrdinaryMatters(CaseGenerator):
    """Ordinary matters only: once refused they are kept ten years (the
    schedule keeps key, collective and accusation matters longer)."""

    def case_fields(self, state, received):
        fields = super().case_fields(state, received)
        while fields["category"] == "discipline":  # an accusation: kept for good
            fields = super().case_fields(state, received)
        if "ordinary" in self.grades:
            fields["grade"] = "ordinary"
        fields["flags"] = set(fields["flags"]) - {"collective"}
        return fields


def legacy_cases(portal, seed=0, count=LEGACY_CASES, today=None):
    """Petitions refused (不予受理) and closed ``LEGACY_YEARS`` years ago;
    made after the meetings and hearings of the demo, which would otherwise
    take some of them up (and the schedule keep those longer)."""
    year = (today or local_today()).year - LEGACY_YEARS
    generator = _OrdinaryMatters(portal, seed=seed + 23)
    generator.today = date(year, 12, 31)
    rng = random.Random(seed + 23)
    plans = []
    for _i in range(count):
        received = date(year, rng.randint(1, 10), rng.randint(1, 28))
        events = [
            ("reject", received + timedelta(days=rng.randint(3, 14))),
            ("close", received + timedelta(days=rng.randint(20, 40))),
        ]
        plans.append(("closed", received, events, 0))
    return [generator.make_case(*plan) for plan in sorted(plans, key=lambda p: p[1])]


def _office(portal):
    return portal[OFFICE_ID]


def _appraise(portal, codes, decision, title, approve=True, execute=True):
    with api.env.adopt_user(username=PROPOSER):
        appraisal = createContentInContainer(
            _office(portal),
            "Appraisal",
            title=title,
            decision=decision,
            archival_codes=list(codes),
            reason="保管期限已满，经鉴定小组鉴定无继续保存价值"
            if decision == "destroy"
            else "按规定向档案馆移交",
            basis="档案鉴定小组会议纪要（演示）",
        )
    if approve:
        with api.env.adopt_user(username=APPROVER):
            api.content.transition(obj=appraisal, transition="approve")
    if execute:
        with api.env.adopt_user(username=PROPOSER):
            api.content.transition(obj=appraisal, transition="execute")
    return appraisal


def _made(portal, portal_type, state, decision=None):
    """Whether the archive office holds such an object already (a second
    ``demo`` run on the same site adds no second one)."""
    return any(
        obj.portal_type == portal_type
        and api.content.get_state(obj) == state
        and (decision is None or getattr(obj, "decision", None) == decision)
        for obj in _office(portal).objectValues()
    )


def office_units(portal, seed=0, today=None):
    """The archive office's demo work as units of work (a callable each)."""
    today = today or local_today()
    year = today.year

    def free_codes():
        """Due codes neither held nor in an open appraisal."""
        codes = [brain.archival_code for brain in disposition.due_brains(today)]
        taken = set(disposition.held(codes)) | set(disposition.open_appraisals(codes))
        return [code for code in codes if code not in taken]

    def destroy_one():
        codes = free_codes()
        if codes and not _made(portal, "Appraisal", "executed", "destroy"):
            _appraise(portal, codes[:1], "destroy", f"{year}年度第1次销毁鉴定")

    def propose_two():
        codes = free_codes()
        if len(codes) >= 3 and not _made(portal, "Appraisal", "proposed", "destroy"):
            _appraise(
                portal,
                codes[:2],
                "destroy",
                f"{year}年度第2次销毁鉴定",
                approve=False,
                execute=False,
            )

    def hold_one():
        codes = free_codes()
        if codes and not _made(portal, "Hold", "active"):
            with api.env.adopt_user(username=PROPOSER):
                createContentInContainer(
                    _office(portal),
                    "Hold",
                    title="行政复议案件调卷冻结",
                    reason="相关行政复议案件审理中，暂停鉴定和销毁",
                    authority="县人民政府行政复议机构调卷函（演示）",
                    archival_codes=codes[-1:],
                )

    def transfer_one():
        if destination_problems() or _made(portal, "Appraisal", "executed", "transfer"):
            return  # no transfer directory here, or done: nothing to add
        brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
            portal_type="PetitionCase",
            review_state="filed",
            retention_period="Y",
            sort_on="archival_code",
        )
        if brains:
            _appraise(portal, [brains[0].archival_code], "transfer", f"{year}年度移交")

    def fixity_runs():
        """Two days ago all intact; yesterday one changed file (the demo
        changes it on purpose); restored from the backup, today all intact.
        A site with fixity runs already gets none (a second ``demo``)."""
        if recorded_runs(portal):
            return
        record_run(portal, _dated(run_fixity(portal), days_ago=2))
        damaged = damage_one_file(portal)
        record_run(portal, _dated(run_fixity(portal), days_ago=1))
        if damaged is not None:
            restore_file(*damaged)
        record_run(portal, run_fixity(portal))

    return [destroy_one, propose_two, hold_one, transfer_one, fixity_runs]


def _dated(run, days_ago):
    run.started -= timedelta(days=days_ago)
    run.finished -= timedelta(days=days_ago)
    return run


def damage_one_file(portal):
    """Change the bytes of one filed document's file behind the archive's
    back; ``(file, original bytes)``, or None without a filed file."""
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="CaseDocument", sort_on="path"
    ):
        document = brain._unrestrictedGetObject()
        stored = getattr(document, "file", None)
        case = document.aq_parent
        if stored is None or api.content.get_state(case) != "filed":
            continue
        with stored._blob.open("r") as handle:
            data = handle.read()
        with stored._blob.open("w") as handle:
            handle.write(data[:-1] + bytes([data[-1] ^ 0x01]) if data else b"\x00")
        return stored, data
    return None


def restore_file(stored, data):
    """Put the original bytes back, as restoring the file from a backup does."""
    with stored._blob.open("w") as handle:
        handle.write(data)
