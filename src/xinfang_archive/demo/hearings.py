"""Demo hearings: some cases in review or re-review get a hearing, and most
of the held ones have their minutes published (masked), so that the public
board, its feed and the 复核 clock's pause have something to show; the
first minutes of a case still under review wait for the organizer's review.

The demo runs as a transient hearing organizer: the minutes workflow's
guards ask for the role of a real user (as the demo filing does for the
archivist).
"""

from AccessControl.users import SimpleUser
from datetime import timedelta
from plone import api
from plone.dexterity.utils import createContentInContainer
from xinfang_archive.demo.corpus import load_sentences
from xinfang_archive.demo.people import random_name
from xinfang_archive.hearings.masks import review_digest
from xinfang_archive.localtime import local_today
from xinfang_archive.vocabularies.registry import title_of
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

import random


DEMO_ORGANIZER = "demo-organizer"
PLACES = ("县信访局三楼听证室", "县信访局一楼接待大厅", "城关镇人民政府会议室")
# Share of candidate cases that get a hearing, at most ``MAX_HEARINGS``.
HEARING_SHARE = 0.3
MAX_HEARINGS = 12


def _turns(rng, case, chair, unit_name, unit_title, sentences):
    petitioner = case.petitioners[0]
    said = lambda low, high: "".join(
        rng.sample(sentences, min(len(sentences), rng.randint(low, high)))
    )
    address = petitioner.get("address") or ""
    phone = petitioner.get("phone") or ""
    return [
        {
            "speaker": chair,
            "role": "chair",
            "text": f"现在开始听证。本次听证事项为信访件{case.registration_number}反映的问题。请信访人陈述。",
        },
        {
            "speaker": petitioner["name"],
            "role": "petitioner",
            "text": f"我叫{petitioner['name']}，住{address}，联系电话{phone}。"
            + said(2, 3),
        },
        {
            "speaker": unit_name,
            "role": "unit",
            "text": f"{unit_title}答复如下：" + said(2, 4),
        },
        {"speaker": chair, "role": "chair", "text": "请双方作最后陈述。"},
        {"speaker": petitioner["name"], "role": "petitioner", "text": said(1, 2)},
        {
            "speaker": chair,
            "role": "chair",
            "text": "听证结束，听证员将评议后提出意见。",
        },
    ]


def add_demo_hearings(portal, seed=0, today=None):
    """Hearings on cases in review, re-review or closed after a re-review;
    returns the hearings made."""
    today = today or local_today()
    rng = random.Random(seed + 17)
    sentences = load_sentences()
    catalog = api.portal.get_tool("portal_catalog")
    candidates = [
        brain._unrestrictedGetObject()
        for brain in catalog.unrestrictedSearchResults(
            portal_type="PetitionCase",
            review_state=("in_review", "in_rereview", "closed"),
            sort_on="received_date",
        )
    ]
    candidates = [case for case in candidates if case.review_requested_on]
    chosen = [case for case in candidates if rng.random() < HEARING_SHARE][
        :MAX_HEARINGS
    ]
    organizer = SimpleUser(DEMO_ORGANIZER, "", ["HearingOrganizer"], []).__of__(
        portal.acl_users
    )
    made, to_review = [], []
    intids = getUtility(IIntIds)
    with api.env.adopt_user(user=organizer):
        for case in chosen:
            state = api.content.get_state(case)
            start = case.rereview_requested_on or case.review_requested_on
            if state in ("in_review", "in_rereview"):
                # Held soon after the request; one still ahead.
                day = min(
                    today + timedelta(days=rng.randint(1, 10)),
                    start + timedelta(days=rng.randint(5, 15)),
                )
            else:
                # Held before the case closed (and never ahead of today).
                day = min(
                    start + timedelta(days=rng.randint(5, 15)),
                    case.closed_on or today,
                    today,
                )
            chair = random_name(rng)
            unit_name = random_name(rng)
            unit_title = title_of("units", case.responsible_unit) or "承办单位"
            petitioner = case.petitioners[0]
            hearing = createContentInContainer(
                portal["hearings"],
                "Hearing",
                title=f"关于{petitioner['name']}反映{title_of('categories', case.category)}问题的听证",
                cases=[RelationValue(intids.getId(case))],
                hearing_date=day,
                place=rng.choice(PLACES),
                chair=chair,
                panel=[random_name(rng) for _i in range(rng.choice((2, 4)))],
                parties=[
                    {
                        "name": petitioner["name"],
                        "role": "petitioner",
                        "organisation": None,
                        "address": petitioner.get("address"),
                        "private": True,
                    },
                    {
                        "name": unit_name,
                        "role": "unit",
                        "organisation": unit_title,
                        "address": None,
                        "private": False,
                    },
                ],
                public=rng.random() < 0.85,
                agenda=f"听取信访人与{unit_title}关于信访件{case.registration_number}所涉问题的陈述和意见。",
            )
            made.append(hearing)
            if day > today:
                continue
            api.content.transition(obj=hearing, transition="hold")
            transcript = createContentInContainer(
                hearing,
                "HearingTranscript",
                title="听证笔录",
                turns=_turns(rng, case, chair, unit_name, unit_title, sentences),
            )
            # Some minutes of cases still under review wait as drafts; a
            # closed case's minutes were approved before it closed, or the
            # archivist could not file it (its hearings must be settled).
            draft = rng.random() < 0.15
            if draft and state != "closed":
                continue
            api.content.transition(obj=transcript, transition="submit")
            if state != "closed" and not to_review:
                to_review.append(transcript)  # one waits for the organizer's review
                continue
            api.content.transition(obj=transcript, transition="approve")
            if hearing.public:
                transcript.mask_review_digest = review_digest(transcript)
                transcript.mask_reviewed_by = DEMO_ORGANIZER
                api.content.transition(obj=transcript, transition="publish")
    return made
