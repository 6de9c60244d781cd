"""Demo leader reception days (领导信访接待日).

A case the generator receives on channel 领导接待日 is received at the
reception day of its received date (made on first use and recorded as held:
the day has passed), often with the leader's instruction on it and a
follow-up (定期过问) some weeks later.  ``add_demo_receptions`` then writes
the minutes of the days held and publishes the coming days of the next
weeks, as the bureau announces them in advance; one more stays planned.

The demo works as a transient registrar (the workflow's guards ask for the
role of a real user), as the demo filing does for the archivist.
"""

from AccessControl.users import SimpleUser
from datetime import time
from datetime import timedelta
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.content.reception_links import received_cases
from xinfang_archive.demo.people import random_name
from xinfang_archive.localtime import local_today
from xinfang_archive.setuphandlers import RECEPTIONS_ID
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

import random


DEMO_REGISTRAR = "demo-registrar"
POSTS = (
    ("县长", "县政府全面工作"),
    ("常务副县长", "财政、发展改革、自然资源"),
    ("副县长", "住房城乡建设、城市管理"),
    ("副县长", "人力资源社会保障、民政"),
    ("县委常委、政法委书记", "政法、信访、维护稳定"),
)
PLACES = ("县信访局一楼接待大厅", "县行政服务中心三楼接待室")
INSTRUCTIONS = (
    "请{unit}依法依规妥善处理，{days}日内将办理情况报县信访局。",
    "此件由{unit}牵头调查核实，做好解释疏导工作，按期答复信访人。",
    "请{unit}主要负责同志亲自过问，限期化解，结果报我。",
)
FOLLOW_UPS = (
    "电话过问办理进度，{unit}已完成调查核实。",
    "听取{unit}汇报，要求按期答复并做好回访。",
    "督促{unit}加快办理，信访人情绪稳定。",
)
INSTRUCTED_SHARE = 0.7
COMING_WEEKS = 4


def _registrar(portal):
    return SimpleUser(DEMO_REGISTRAR, "", ["Registrar"], []).__of__(portal.acl_users)


class DemoReceptions:
    """The reception days of a demo run, one per day used."""

    def __init__(self, portal, seed=0):
        self.portal = portal
        self.folder = portal[RECEPTIONS_ID]
        self.rng = random.Random(seed + 29)
        self.leaders = [(random_name(self.rng), post, duties) for post, duties in POSTS]
        self.days = {}

    def leader_of(self, day):
        return self.leaders[day.toordinal() % len(self.leaders)]

    def _new(self, day):
        name, post, duties = self.leader_of(day)
        return createContentInContainer(
            self.folder,
            "LeaderReception",
            checkConstraints=False,
            leader=name,
            post=post,
            responsibilities=duties,
            reception_date=day,
            start_time=time(9, 0),
            end_time=time(11, 30),
            place=self.rng.choice(PLACES),
            notes="来访群众请携带本人身份证件及相关材料。",
        )

    def reception_on(self, day):
        """The reception day of ``day`` (held: the day has come)."""
        reception = self.days.get(day)
        if reception is None:
            existing = [
                b._unrestrictedGetObject()
                for b in api.portal.get_tool(
                    "portal_catalog"
                ).unrestrictedSearchResults(
                    portal_type="LeaderReception", getId=f"jdr-{day.isoformat()}"
                )
            ]
            reception = existing[0] if existing else None
        if reception is None:
            with api.env.adopt_user(user=_registrar(self.portal)):
                reception = self._new(day)
                api.content.transition(obj=reception, transition="hold")
        self.days[day] = reception
        return reception

    def relation(self, day):
        return RelationValue(getUtility(IIntIds).getId(self.reception_on(day)))

    def instruct(self, case, unit_title, today):
        """The leader's instruction on ``case`` (often) and a follow-up later."""
        rng = self.rng
        reception = self.reception_on(case.received_date)
        if rng.random() >= INSTRUCTED_SHARE:
            return
        unit = unit_title or "承办单位"
        reception.instructions = [
            *list(reception.instructions or []),
            {
                "case_number": case.registration_number,
                "instructed_on": case.received_date,
                "instruction": rng.choice(INSTRUCTIONS).format(
                    unit=unit, days=rng.choice((15, 30))
                ),
            },
        ]
        follow_up = case.received_date + timedelta(days=rng.randint(10, 40))
        if follow_up <= today:
            reception.follow_ups = [
                *list(reception.follow_ups or []),
                {
                    "case_number": case.registration_number,
                    "day": follow_up,
                    "note": rng.choice(FOLLOW_UPS).format(unit=unit),
                },
            ]


def add_demo_receptions(portal, seed=0, today=None):
    """Minutes of the days held, the coming days published, one planned;
    returns the coming receptions."""
    today = today or local_today()
    demo = DemoReceptions(portal, seed=seed)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="LeaderReception", review_state="held"
    ):
        reception = brain._unrestrictedGetObject()
        if reception.minutes is not None:
            continue
        cases = received_cases(reception)
        lines = [
            f"<p>{reception.leader}（{reception.post}）在{reception.place}接待来访群众"
            f"{len(cases)}批次。</p>"
        ]
        lines += [
            f"<p>{case.registration_number}：{case.title}。</p>" for case in cases
        ]
        reception.minutes = RichTextValue("".join(lines), "text/html", "text/html")
    coming = []
    with api.env.adopt_user(user=_registrar(portal)):
        for week in range(1, COMING_WEEKS + 1):
            day = today + timedelta(days=7 * week - today.weekday() + 2)  # Wednesdays
            if f"jdr-{day.isoformat()}" in demo.folder.objectIds():
                continue
            reception = demo._new(day)
            if week < COMING_WEEKS:
                api.content.transition(obj=reception, transition="publish")
            coming.append(reception)
    return coming
