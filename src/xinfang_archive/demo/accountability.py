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
from xinfang_archive.reports.figures import OPEN_STATES
from xinfang_archive.reports.rows import case_rows
from xinfang_archive.reports.screening import period_of
from xinfang_archive.reports.screening import report_units
from xinfang_archive.setuphandlers import ACCOUNTABILITY_ID
from xinfang_archive.vocabularies.registry import title_of
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


def _record(rng, folder, unit, cause, day, facts, intids, cases=(), periods=()):
    named = rng.random() < 0.4
    return createContentInContainer(
        folder,
        "AccountabilityRecord",
        unit=unit,
        cause=cause,
        decision_date=day,
        facts=facts,
        linked_cases=[RelationValue(intids.getId(case)) for case in cases],
        screening_periods=list(periods),
        measure=rng.choice(MEASURES),
        authority=rng.choice(AUTHORITIES),
        person_name=random_name(rng) if named else None,
        person_post=rng.choice(POSTS) if named else None,
    )


def add_demo_accountability(portal, seed=0, today=None):
    """Accountability records of the demo; returns them (oldest first)."""
    today = today or date.today()
    yesterday = today - timedelta(days=1)
    rng = random.Random(seed + 29)
    folder = portal[ACCOUNTABILITY_ID]
    intids = getUtility(IIntIds)
    catalog = api.portal.get_tool("portal_catalog")
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
    registrar = SimpleUser(DEMO_REGISTRAR, "", ["Registrar"], []).__of__(
        portal.acl_users
    )
    made = []
    with api.env.adopt_user(user=registrar):
        for year in sorted(years | set(late)):
            rows = late.get(year, [])
            for row, due, done in rng.sample(rows, min(OVERDUE_PER_YEAR, len(rows))):
                case = catalog.unrestrictedSearchResults(UID=row.uid)[
                    0
                ]._unrestrictedGetObject()
                day = min(done + timedelta(days=rng.randint(7, 40)), yesterday)
                facts = (
                    f"{title_of('units', row.unit)}办理信访件{row.registration_number}超过期限"
                    f"{(done - due).days}日，经督查属实。"
                )
                made.append(
                    _record(
                        rng,
                        folder,
                        row.unit,
                        "overdue",
                        day,
                        facts,
                        intids,
                        cases=[case],
                    )
                )
            unit = rng.choice(units)
            day = min(date(year, rng.randint(2, 12), rng.randint(1, 28)), yesterday)
            made.append(
                _record(
                    rng,
                    folder,
                    unit,
                    "supervision_ignored",
                    day,
                    f"{title_of('units', unit)}对县信访局督办事项未按期反馈办理情况，经两次催办仍未落实。",
                    intids,
                )
            )
        for index in range(MISSED_REPORTS + DRAFTS):
            unit = rng.choice(units)
            day = yesterday - timedelta(
                days=rng.randint(0, 20)
                if index >= MISSED_REPORTS
                else rng.randint(40, 900)
            )
            period = period_of(
                date(day.year, day.month, 1) - timedelta(days=1), "month"
            )
            made.append(
                _record(
                    rng,
                    folder,
                    unit,
                    "missing_report",
                    day,
                    f"{title_of('units', unit)}未在规定期限内报送{period}矛盾纠纷排查报告（含零报告）。",
                    intids,
                    periods=[period],
                )
            )
        made.sort(key=lambda record: record.decision_date)
        drafts = [r for r in made if r.cause == "missing_report"][-DRAFTS:]
        for record in made:
            if record not in drafts:
                api.content.transition(obj=record, transition="decide")
    return made
