"""Demo accountability records (责任追究) over the years of the demo cases:
units that handled cases late (逾期办理, the cases linked), that ignored a
supervision (督办不力), that missed their screening report (漏报零报告, the
period named); some name a person of the unit.  All are decided but the
last few, which wait as drafts and link no case (a draft on a closed case
would hold up its filing).

The demo runs as a transient registrar: the workflow's guard asks for the
role of a real user (as the demo hearings do for the organizer).
"""

from AccessControl.users import SimpleUser
from datetime import date
from datetime import timedelta
from plone import api
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.demo.people import random_name
from xinfang_archive.localtime import local_today
from xinfang_archive.reports.rows import case_rows
from xinfang_archive.reports.screening import period_of
from xinfang_archive.reports.screening import report_units
from xinfang_archive.setuphandlers import ACCOUNTABILITY_ID
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.workflow.states import OPEN_STATES
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

import random


DEMO_REGISTRAR = "demo-accountability"
# Mildest measures most often.
MEASURES = (
    "criticism",
    "talk",
    "talk",
    "self_examination",
    "criticism",
    "admonition",
    "organisational",
    "discipline",
)
POSTS = ("副局长", "科长", "副镇长", "办公室主任", "信访专干")
AUTHORITIES = ("县信访工作联席会议", "县信访局", "县纪委监委", "县委县政府督查室")
# Overdue cases made into records, per year at most.
OVERDUE_PER_YEAR = 3
MISSED_REPORTS = 6
DRAFTS = 2


def _plan(rng, unit, cause, day, facts, case_uids=(), periods=()):
    """One record to make, its random draws taken now: a unit of work done
    again after a conflict makes the same record."""
    named = rng.random() < 0.4
    return {
        "unit": unit,
        "cause": cause,
        "decision_date": day,
        "facts": facts,
        "case_uids": list(case_uids),
        "screening_periods": list(periods),
        "measure": rng.choice(MEASURES),
        "authority": rng.choice(AUTHORITIES),
        "person_name": random_name(rng) if named else None,
        "person_post": rng.choice(POSTS) if named else None,
    }


def accountability_plan(portal, seed=0, today=None):
    """The demo's records as plain data, oldest first, each with ``draft``
    (the last few missed reports wait undecided)."""
    today = today or local_today()
    yesterday = today - timedelta(days=1)
    rng = random.Random(seed + 29)
    late, years = {}, set()
    for row in case_rows():
        years.add(row.received.year)
        if not row.unit:
            continue
        if row.handle_due and row.replied_on and row.replied_on > row.handle_due:
            late.setdefault(row.replied_on.year, []).append(
                (row, row.handle_due, row.replied_on)
            )
        elif row.deadline and row.deadline < yesterday and row.state in OPEN_STATES:
            late.setdefault(today.year, []).append((row, row.deadline, today))
    units = [code for code, _title in report_units()] or sorted(
        {r.unit for rows in late.values() for r, *_ in rows}
    )
    plans = []
    for year in sorted(years | set(late)):
        rows = late.get(year, [])
        for row, due, done in rng.sample(rows, min(OVERDUE_PER_YEAR, len(rows))):
            day = min(done + timedelta(days=rng.randint(7, 40)), yesterday)
            facts = (
                f"{title_of('units', row.unit)}办理信访件{row.registration_number}超过期限"
                f"{(done - due).days}日，经督查属实。"
            )
            plans.append(
                _plan(rng, row.unit, "overdue", day, facts, case_uids=[row.uid])
            )
        unit = rng.choice(units)
        day = min(date(year, rng.randint(2, 12), rng.randint(1, 28)), yesterday)
        facts = f"{title_of('units', unit)}对县信访局督办事项未按期反馈办理情况，经两次催办仍未落实。"
        plans.append(_plan(rng, unit, "supervision_ignored", day, facts))
    for index in range(MISSED_REPORTS + DRAFTS):
        unit = rng.choice(units)
        day = yesterday - timedelta(
            days=rng.randint(0, 20) if index >= MISSED_REPORTS else rng.randint(40, 900)
        )
        period = period_of(date(day.year, day.month, 1) - timedelta(days=1), "month")
        facts = f"{title_of('units', unit)}未在规定期限内报送{period}矛盾纠纷排查报告（含零报告）。"
        plans.append(_plan(rng, unit, "missing_report", day, facts, periods=[period]))
    plans.sort(key=lambda plan: plan["decision_date"])
    for plan in plans:
        plan["draft"] = False
    for plan in [plan for plan in plans if plan["cause"] == "missing_report"][-DRAFTS:]:
        plan["draft"] = True
    return plans


def accountability_units(portal, seed=0, today=None):
    """The demo's records as units of work, a callable each that makes one
    record (and decides it unless it stays a draft) and returns it, for a
    caller that commits each unit and does one again after a conflict."""
    registrar = SimpleUser(DEMO_REGISTRAR, "", ["Registrar"], []).__of__(
        portal.acl_users
    )

    def unit(plan):
        def make():
            with api.env.adopt_user(user=registrar):
                return _make_record(portal, plan)

        return make

    for plan in accountability_plan(portal, seed=seed, today=today):
        yield unit(plan)


def _make_record(portal, plan):
    catalog = api.portal.get_tool("portal_catalog")
    intids = getUtility(IIntIds)
    cases = [
        brain._unrestrictedGetObject()
        for uid in plan["case_uids"]
        for brain in catalog.unrestrictedSearchResults(UID=uid)
    ]
    fields = {
        key: value for key, value in plan.items() if key not in ("case_uids", "draft")
    }
    record = createContentInContainer(
        portal[ACCOUNTABILITY_ID],
        "AccountabilityRecord",
        linked_cases=[RelationValue(intids.getId(case)) for case in cases],
        **fields,
    )
    if not plan["draft"]:
        api.content.transition(obj=record, transition="decide")
    return record


def add_demo_accountability(portal, seed=0, today=None):
    """Accountability records of the demo, in one go; returns them (oldest first)."""
    return [make() for make in accountability_units(portal, seed=seed, today=today)]
