"""Demo screening reports (矛盾纠纷排查): every unit's report for each period
of the last ``PERIODS`` periods, so that @@screening-status, the bulletin and
the search have years of them to show.

Most units file on time; some file late (their first submission is dated
after the deadline), a few never file for a recent period; most reports are
zero reports (零报告), the others list one to three disputes.  Older reports
were accepted by the bureau, the latest wait for it.  The demo runs as a
transient user holding the roles the workflow's guards ask for.
"""

from AccessControl.users import SimpleUser
from DateTime import DateTime
from datetime import datetime
from datetime import time
from datetime import timedelta
from plone import api
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.demo.people import random_name
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.localtime import local_today
from xinfang_archive.reports import screening
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines

import random


DEMO_USER = "demo-screening"
PERIODS = 24  # two years of monthly reports
ZERO_SHARE = 0.6
LATE_SHARE = 0.08
MISSING_SHARE = 0.04  # of the last RECENT periods only
RECENT = 6
MATTERS = {
    "land": ("征地补偿款分配纠纷", "宅基地边界纠纷", "拆迁安置房分配争议"),
    "labour": ("农民工工资拖欠", "企业欠缴社保费", "劳动合同解除补偿争议"),
    "welfare": ("低保资格认定争议", "临时救助申请未获答复"),
    "village": ("村集体资金使用不公开", "村民小组土地承包费分配争议"),
    "urban": ("小区物业费纠纷", "违章搭建影响通行", "停车位产权争议"),
    "environment": ("养殖场异味扰民", "工地夜间施工噪声扰民"),
    "enterprise": ("改制企业职工安置遗留问题",),
    "other": ("邻里用水纠纷", "婚姻家庭矛盾"),
}
MEASURES = (
    "村（居）委会调解",
    "镇街牵头约谈双方",
    "主管部门联合调处",
    "司法所介入调解",
    "落实专人稳控",
    "纳入重点化解台账",
)
GRADES = (("early", 0.55), ("ordinary", 0.33), ("key", 0.12))


def _grade(rng):
    pick, total = rng.random(), 0.0
    for grade, share in GRADES:
        total += share
        if pick < total:
            return grade
    return GRADES[-1][0]


def _disputes(rng, period_end, settled):
    categories = [
        code
        for code, _title in parse_lines(registry_lines("categories"))
        if code in MATTERS
    ]
    rows = []
    for _i in range(rng.choice((1, 1, 2, 3))):
        category = rng.choice(categories)
        people = rng.choice((2, 3, 5, 8, 12, 20, 35))
        rows.append(
            {
                "matter": rng.choice(MATTERS[category]),
                "parties": f"{random_name(rng)}等{people}人",
                "people_count": people,
                "category": category,
                "risk_grade": _grade(rng),
                "measures": rng.choice(MEASURES),
                "responsible": random_name(rng),
                "deadline": period_end + timedelta(days=rng.choice((15, 30, 60))),
                "state": "resolved" if settled and rng.random() < 0.85 else "open",
            }
        )
    return rows


def _stamp(day, hour):
    return DateTime(datetime.combine(day, time(hour), tzinfo=LOCAL_TIME))


def _dated(report, dates):
    """Date the report's workflow entries: {action: day}."""
    history = report.workflow_history[screening.WORKFLOW_ID]
    report.workflow_history[screening.WORKFLOW_ID] = tuple(
        dict(entry, time=_stamp(dates[entry["action"]], 10))
        if entry.get("action") in dates
        else entry
        for entry in history
    )


def screening_units(portal, seed=0, today=None, periods=PERIODS):
    """The reports of the last ``periods`` due periods as units of work, a
    callable per period that makes every unit's report of it and returns
    them, for a caller that commits each and does one again after a conflict
    (the command line while the site serves).  A period done again draws the
    same random numbers; a period reported before is left out."""
    today = today or local_today()
    rng = random.Random(seed + 29)
    kind, deadline_day = screening.screening_settings()
    period = screening.last_due_period(today, kind, deadline_day)
    chosen = []
    for _i in range(periods):
        chosen.append(period)
        period = screening.previous_period(period)
    folder = portal["screening"]
    user = SimpleUser(DEMO_USER, "", ["Registrar", "CaseHandler"], []).__of__(
        portal.acl_users
    )

    def unit(state, age, period):
        def make():
            rng.setstate(state)
            with api.env.adopt_user(user=user):
                return _period_reports(
                    folder, rng, today, deadline_day, periods, age, period
                )

        return make

    for age, period in enumerate(reversed(chosen)):
        if screening.reports_of_period(folder, period):
            continue  # made before (a unit may have been left missing on purpose)
        yield unit(rng.getstate(), age, period)


def _period_reports(folder, rng, today, deadline_day, periods, age, period):
    recent = periods - age <= RECENT
    deadline = screening.deadline_of(period, deadline_day)
    _start, end = screening.period_bounds(period)
    made = []
    for unit, _title in screening.report_units():
        if recent and rng.random() < MISSING_SHARE:
            continue
        zero = rng.random() < ZERO_SHARE
        report = createContentInContainer(
            folder,
            "ScreeningReport",
            unit=unit,
            period=period,
            zero_report=zero,
            disputes=[] if zero else _disputes(rng, end, settled=not recent),
        )
        api.content.transition(obj=report, transition="submit")
        late = rng.random() < LATE_SHARE
        submitted = min(
            today,
            deadline + timedelta(days=rng.randint(1, 12))
            if late
            else deadline - timedelta(days=rng.randint(0, 4)),
        )
        dates = {"submit": submitted}
        if age < periods - 1:  # the latest period's reports wait for the bureau
            api.content.transition(obj=report, transition="accept")
            dates["accept"] = min(today, submitted + timedelta(days=rng.randint(1, 5)))
        _dated(report, dates)
        report.reindexObject()
        made.append(report)
    return made


def add_demo_screening(portal, seed=0, today=None, periods=PERIODS):
    """Reports of every unit for the last ``periods`` due periods; returns them."""
    return [
        report
        for make in screening_units(portal, seed=seed, today=today, periods=periods)
        for report in make()
    ]
