"""Demo coordination meetings: every year of the demo cases has its 信访联席会议,
信访协调会 and 领导小组会议 deciding on some of that year's cases (assigned to
a unit with a due date, or settled at the meeting), so that the case pages,
the supervision list (some due dates already past) and the filing of
earlier years have meetings to show.  The latest meeting of this year may
still be under review.

The demo runs as a transient bureau secretary holding the registrar's and
the inspector's roles: the meeting workflow's guards ask for a real user's
roles (as the demo filing does for the archivist).
"""

from AccessControl.users import SimpleUser
from datetime import date
from datetime import timedelta
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.demo.corpus import load_sentences
from xinfang_archive.demo.people import random_name
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import local_today
from xinfang_archive.vocabularies.fixed import MEETING_KINDS
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines
from xinfang_archive.vocabularies.registry import title_of

import random


DEMO_SECRETARY = "demo-secretary"
POSTS = ("副县长", "县委常委、政法委书记", "县政府办公室主任", "县信访局局长")
INSTRUCTIONS = (
    "限期拿出处理方案，报县信访局备案。",
    "会同属地乡镇上门走访，做好解释疏导。",
    "依法依规核查，按时书面答复信访人。",
    "召开听证会，听取各方意见后作出处理。",
    "落实包案领导，每周报告进展。",
)
MEETINGS_PER_YEAR = 3
CASES_PER_MEETING = (2, 4)


def _units():
    return [
        row[0]
        for row in parse_lines(registry_lines("units"))
        if len(row) > 3 and row[3] != "county"
    ]


def _minutes(rng, sentences, kind_title, cases):
    listed = "、".join(case.registration_number for case in cases)
    body = "".join(rng.sample(sentences, min(len(sentences), 3)))
    return RichTextValue(
        f"<p>本次{kind_title}研究了信访件{listed}。</p><p>{body}</p>",
        "text/html",
        "text/x-html-safe",
    )


def _decision(rng, case, day, units):
    closed = api.content.get_state(case) == "closed"
    unit = case.responsible_unit or rng.choice(units)
    return {
        "case_number": case.registration_number,
        "unit": unit,
        "due_date": None if closed else day + timedelta(days=rng.choice((15, 30, 45))),
        "instructions": f"{title_of('units', unit)}{rng.choice(INSTRUCTIONS)}",
        "settled": closed,
    }


def meeting_units(portal, seed=0, today=None):
    """The demo meetings as units of work, a callable each that makes one
    meeting and returns it, for a caller that commits each unit and does one
    again after a conflict (the command line while the site serves).  A unit
    done again draws the same random numbers: it starts from the generator's
    state at the moment it was handed out."""
    today = today or local_today()
    rng = random.Random(seed + 29)
    sentences = load_sentences()
    units = _units()
    catalog = api.portal.get_tool("portal_catalog")
    by_year = {}
    for brain in catalog.unrestrictedSearchResults(
        portal_type="PetitionCase", sort_on="received_date"
    ):
        case = brain._unrestrictedGetObject()
        if api.content.get_state(case) not in ("registered", "transferred", "filed"):
            by_year.setdefault(case.received_date.year, []).append(case)
    secretary = SimpleUser(DEMO_SECRETARY, "", ["Registrar", "Inspector"], []).__of__(
        portal.acl_users
    )

    def unit(state, year, number, cases):
        def make():
            rng.setstate(state)
            with api.env.adopt_user(user=secretary):
                return _make_meeting(
                    portal, rng, sentences, units, today, year, number, cases
                )

        return make

    for year in sorted(by_year):
        pool = list(by_year[year])
        rng.shuffle(pool)
        for number in range(MEETINGS_PER_YEAR):
            cases = [
                pool.pop()
                for _i in range(min(len(pool), rng.randint(*CASES_PER_MEETING)))
            ]
            if not cases:
                break
            yield unit(rng.getstate(), year, number, cases)


def _make_meeting(portal, rng, sentences, units, today, year, number, cases):
    latest = max(case.received_date for case in cases)
    day = min(latest + timedelta(days=rng.randint(10, 40)), today)
    if day.year != year:
        day = max(latest, min(date(year, 12, 28), today))
    kind, kind_title = MEETING_KINDS[number % len(MEETING_KINDS)]
    kind_title = record_text(kind_title)
    meeting = createContentInContainer(
        portal["meetings"],
        "CoordinationMeeting",
        kind=kind,
        meeting_date=day,
        chair=f"{random_name(rng)}（{rng.choice(POSTS)}）",
        attendee_units=sorted(
            {case.responsible_unit for case in cases if case.responsible_unit} | {"XF"}
        ),
        attendees=[
            f"{random_name(rng)}（{post}）"
            for post in ("信访局副局长", "承办单位负责人")
        ],
        decisions=[_decision(rng, case, day, units) for case in cases],
        minutes=_minutes(rng, sentences, kind_title, cases),
    )
    api.content.transition(obj=meeting, transition="submit")
    # this year's last meeting may still wait for its review
    if not (
        year == today.year and number == MEETINGS_PER_YEAR - 1 and rng.random() < 0.5
    ):
        api.content.transition(obj=meeting, transition="finalize")
    return meeting


def add_demo_meetings(portal, seed=0, today=None):
    """Meetings in every year of the demo cases; returns the meetings made."""
    return [make() for make in meeting_units(portal, seed=seed, today=today)]
