"""A leak crawler, general by construction.

Against a seeded site served over HTTP, the endpoints the site publishes for
the seeded objects are requested with GET as each principal, and no response
may contain a seeded value that principal must not see.  The endpoints are
read from the component registry and the type information, never from a
list of views, so a view or service added later is crawled without editing
this file:

* every named browser view (a multi-adapter of the object and a request
  carrying the site's browser layers, the add-on's among them) registered
  for something the object provides: ``<object>/@@<name>``;
* every method the publisher serves on the object (public, with a
  docstring): ``<object>/<name>``;
* every plone.rest GET service (``GET_<media type>_<name>``) registered for
  it: ``<object>/<name>`` with that media type as ``Accept``;
* the method aliases and actions of the object's type and the URLs of the
  site's portal_actions evaluated on the object;
* the public result query with the case's query code, and every search-like
  endpoint (by name) of the site and its top folders asked for seeded values;
* the targets of redirects that are not the login page, and the first
  sub-resources a service's answer links to (``@history/0``…).

Responses are read whole: HTML and text (entities and percent-escapes
decoded), JSON (re-dumped without ASCII escapes), PDF, XLSX, ZIP members
(DOCX, ODT, packages), and the response headers; also with white space
squeezed out (grouped numbers, PDF text).  A value the request itself sent
(a search term, the query code) is not a leak when it comes back.  As a
control that responses are read at all, the values a principal may see
(the handler: personal data; staff: names) must turn up somewhere.  Every
leak is collected, then reported at once.

Cost (five to six minutes on two cores).  The add-on's own views and
services and methods, the objects' REST representation and the types' aliases and
actions are requested on every object they apply to, as every principal.
Plone's generic views, services, methods and portal_actions (some hundreds
of names, most registered for any object) are deduplicated:

* they are requested on the site root and on one representative per
  portal_type among the objects holding a seeded value (the first seeded:
  the case in handling, its accusation, the public hearing, the draft
  minutes of the private one), since the same generic code reads the same
  fields on the others; aliases and actions publishing them follow suit;
* on a representative, not as a principal none of whose forbidden values
  is in or under it;
* not as principals the declared permission (a view class's or a method's
  ``__roles__``, which is what the publisher validates) refuses, as such a
  request can only answer with the login page (every ``SPOT_CHECK``-th of
  them is requested all the same, and checked); and
* the four staff members without personal data share one forbidden set:
  each generic view is requested as the first of them it lets in (the order
  rotates per object, so every one of them stands in somewhere).

``LEAK_CRAWLER_FULL=1`` lifts these (every endpoint on every object as every
principal; about half an hour).  ``LEAK_CRAWLER_LOG=<path>`` logs every
request with its time and status.
"""

from AccessControl import getSecurityManager
from Acquisition import aq_base
from collections import Counter
from collections import defaultdict
from collections import namedtuple
from datetime import timedelta
from io import BytesIO
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from tests.helpers.archival import add_document
from tests.helpers.archival import add_reply
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from tests.helpers.cases import VALID_ID
from tests.helpers.hearings import add_transcript
from tests.helpers.hearings import approve
from tests.helpers.hearings import make_hearing
from tests.helpers.hearings import review_masks
from tests.helpers.staff import STAFF_PASSWORD
from urllib.parse import unquote
from urllib.parse import urlencode
from xinfang_archive.content.reception_links import received_cases
from xinfang_archive.localtime import local_today
from zope.component import getSiteManager
from zope.event import notify
from zope.interface import directlyProvides
from zope.interface import Interface
from zope.interface import providedBy
from zope.lifecycleevent import ObjectModifiedEvent
from zope.publisher.interfaces.browser import IBrowserView

import contextlib
import html
import json
import os
import pytest
import re
import requests
import time
import transaction
import zipfile


FULL = bool(os.environ.get("LEAK_CRAWLER_FULL"))

# -- the seeded values and who must not see them ---------------------------

NAME = "欧阳青松"  # the petitioner
THIRD_PARTY = "司马红梅"  # a private party of the hearings
PHONE = "13812345678"
PHONE_GROUPED = "138 1234 5678"
ID_GROUPED = "110101 19900307 4514"
ADDRESS = "浙江省杭州市西湖区文三路100号"
MARKER = "举报标记QX7"  # only in the accusation documents (title and file)
ACCUSED = (
    "东方志明"  # the person held to account in an accountability record (责任追究)
)

PERSONAL = {
    "ID number": VALID_ID,
    "ID number (grouped)": ID_GROUPED,
    "phone": PHONE,
    "phone (grouped)": PHONE_GROUPED,
    "address": ADDRESS,
}
NAMES = {"petitioner's name": NAME, "private party's name": THIRD_PARTY}
ACCUSATION = {"accusation marker": MARKER}
# The person held to account is personal data, and the record is the bureau's
# and the unit heads': every principal crawled here must not read the name.
ACCOUNTABILITY = {"person held to account": ACCUSED}

# Staff without "View personal data" (names are not personal data for staff);
# ``head`` is the county's head, a Reader of every unit's cases.
STAFF_WITHOUT_PERSONAL_DATA = ("organizer", "archivist", "inspector", "head")
FORBIDDEN = {
    "anonymous": {**PERSONAL, **NAMES, **ACCUSATION, **ACCOUNTABILITY},
    **{
        user_id: {**PERSONAL, **ACCOUNTABILITY}
        for user_id in STAFF_WITHOUT_PERSONAL_DATA
    },
    # A case handler of the accused unit (住建局): personal data yes, accusations
    # no, nor the unit's accountability records.
    "handler": {**ACCUSATION, **ACCOUNTABILITY},
}
SEEDED = {**PERSONAL, **NAMES, **ACCUSATION, **ACCOUNTABILITY}
# The control: values some principal may see, that the crawl must find.
CONTROLS = {
    "handler": set(PERSONAL) | set(NAMES),  # the case page, unmasked
    **{user_id: {"petitioner's name"} for user_id in STAFF_WITHOUT_PERSONAL_DATA},
}
# The case's query code is a bearer secret that only who may see personal
# data is shown (the slip): it is forbidden to the others as well.
WITHOUT_PERSONAL_DATA = ("anonymous", *STAFF_WITHOUT_PERSONAL_DATA)

# The allowed exceptions, with why: {(principal, endpoint name, portal
# type): labels of the values it may show}.
ALLOWED = {
    # The mask review shows the hearing organizer the originals next to their
    # masks: choosing the masks needs them.
    ("organizer", "mask-preview", "HearingTranscript"): set(PERSONAL),
    # The organizer writes the hearing's parties and the minutes' speaker
    # turns: the edit form shows what it edits (plone.app.multilingual's
    # babel_view is the same form beside the original).  Everywhere else,
    # page, REST, history and search, the organizer reads them masked.
    **{
        ("organizer", form, portal_type): set(PERSONAL)
        for form in ("edit", "babel_view")
        for portal_type in ("Hearing", "HearingTranscript")
    },
}

# Endpoint names never requested, with the reason.  Empty: GET is free of
# side effects under plone.protect, and basic auth outlives @@logout.
EXCLUDED = {}

# Endpoints (by name) that take a search term are also asked for the seeded
# values, under the parameter names search endpoints use.
SEARCHLIKE = re.compile(r"search|match|query|find|lookup", re.IGNORECASE)
SEARCH_TERMS = (NAME, PHONE)
SEARCH_PARAMETERS = (
    "SearchableText",
    "q",
    "term",
    "query",
    "name",
    "phone",
    "id_number",
)

HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
JSON = "application/json"
METHOD = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|OPTIONS)_")
GET_SERVICE = re.compile(
    r"^GET_(?P<type>[a-z]+)_(?P<subtype>[a-z0-9.+-]+)_(?P<name>.*)$"
)
LOGIN = ("require_login", "login_form", "/login", "insufficient-privileges")

# Every SPOT_CHECK-th request refused by declared permission is sent anyway.
SPOT_CHECK = 25
# The first SUB_RESOURCES links below a service its answer names (a version
# of @history, a type of @types…) are requested too.
SUB_RESOURCES = 3

# One endpoint.  ``skip``: {principal: why it is not requested as them}
# (see ``generic_skip``).
Endpoint = namedtuple(
    "Endpoint", "kind name url accept skip portal_type", defaults=(None, None)
)


# -- the seed ---------------------------------------------------------------


def petitioner():
    return {
        "name": NAME,
        "id_number": VALID_ID,
        "phone": PHONE,
        "address": ADDRESS,
        "representative": False,
    }


def relation_to(obj):
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    return RelationValue(getUtility(IIntIds).getId(obj))


def seeded_case(site, **overrides):
    return api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(
            petitioners=[petitioner()],
            summary=f"{NAME}（身份证号{VALID_ID}，电话{PHONE}）反映2023年征地补偿款至今未发放。",
            request=f"要求尽快发放补偿款。联系电话{PHONE_GROUPED}，身份证号{ID_GROUPED}，住{ADDRESS}。",
            **overrides,
        ),
    )


def add_accusation(case):
    return add_document(
        case,
        title=f"实名举报信（{MARKER}）",
        data=f"举报人{NAME}实名举报：{MARKER}".encode(),
        filename="jubao.txt",
        content_type="text/plain",
        pages=1,
        accusation=True,
    )


PARTIES = [
    {
        "name": NAME,
        "role": "petitioner",
        "organisation": None,
        "address": ADDRESS,
        "private": True,
    },
    {
        "name": THIRD_PARTY,
        "role": "third_party",
        "organisation": None,
        "address": None,
        "private": True,
    },
    {
        "name": "赵磊",
        "role": "unit",
        "organisation": "住房和城乡建设局",
        "address": None,
        "private": False,
    },
]
TURNS = [
    {"speaker": "李建国", "role": "chair", "text": "现在开始听证。请信访人陈述。"},
    {
        "speaker": NAME,
        "role": "petitioner",
        "text": f"我叫{NAME}，住{ADDRESS}，联系电话{PHONE}。",
    },
    {
        "speaker": THIRD_PARTY,
        "role": "third_party",
        "text": f"我是{THIRD_PARTY}，邻居，可以作证。",
    },
]


@pytest.fixture()
def seeded(site, staff_users):
    """A case in handling at 住建局 (JSJ) with a letter, an accusation and a
    reply; a closed and filed case with the same; a held public hearing on
    the first with its minutes published, and a private hearing with a draft
    transcript.  Returns the objects to crawl and the case's query code."""
    from xinfang_archive.hearings.publication import notice_of
    from xinfang_archive.publicquery.codes import code_of
    from xinfang_archive.publicquery.codes import format_code

    case = seeded_case(site)
    case.request += "（补充）"
    notify(ObjectModifiedEvent(case))  # a second version in its history
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    letter = add_document(case, title="来信")
    accusation = add_accusation(case)
    reply = add_reply(case, "handling_opinion", outcome="explain")

    filed = seeded_case(site, title="拆迁安置房质量问题")
    add_document(filed, title="来信")
    add_accusation(filed)
    close_case(filed, unit="JSJ")
    setRoles(site, TEST_USER_ID, ["Archivist"])
    do(filed, "file")
    setRoles(site, TEST_USER_ID, ["Manager"])

    hearing = make_hearing(
        site,
        [case],
        title="关于征地补偿问题的听证",
        parties=PARTIES,
        agenda="听取信访人关于征地补偿款的陈述。",
    )
    do(hearing, "hold")
    transcript = add_transcript(hearing, turns=TURNS)
    approve(transcript)
    review_masks(transcript)
    do(transcript, "publish")
    notice = notice_of(transcript)
    assert notice is not None
    private = make_hearing(
        site,
        [case],
        public=False,
        title="关于补偿标准的不公开听证",
        parties=PARTIES,
        agenda="听取信访人关于补偿标准的陈述。",
    )
    draft = add_transcript(private, turns=TURNS)

    # 住建局's screening report: a dispute whose parties and notes carry the
    # petitioner's data, submitted (readable by inspectors and archivists).
    report = api.content.create(
        container=site["screening"],
        type="ScreeningReport",
        title="",
        unit="JSJ",
        period="2026-11",
        zero_report=False,
        notes=f"联系人{NAME}，电话{PHONE}，住{ADDRESS}。",
        disputes=[
            {
                "matter": "征地补偿纠纷",
                "parties": f"{NAME}（身份证{VALID_ID}，电话{PHONE_GROUPED}）等12户",
                "people_count": 12,
                "category": "land",
                "risk_grade": "key",
                "measures": f"约谈{NAME}",
                "responsible": "王五",
                "deadline": None,
                "state": "open",
            }
        ],
    )
    do(report, "submit")
    # A finalized coordination meeting deciding on both cases (each holds an
    # accusation): its instructions carry the marker, which the accused
    # unit's handler must not read on the cases, in their supervision or anywhere.
    meeting = api.content.create(
        container=site["meetings"],
        type="CoordinationMeeting",
        title="",
        kind="joint",
        meeting_date=local_today(),
        chair="李建国（副县长）",
        attendee_units=["JSJ", "JW"],
        attendees=["王强（住建局局长）"],
        decisions=[
            {
                "case_number": case.registration_number,
                "unit": "JW",
                "due_date": local_today() + timedelta(days=30),
                "instructions": f"纪委监委核查举报事项（{MARKER}）。",
                "settled": False,
            },
            {
                "case_number": filed.registration_number,
                "unit": "JSJ",
                "due_date": None,
                "instructions": f"已办结，维持原处理意见（{MARKER}）。",
                "settled": True,
            },
        ],
    )
    do(meeting, "submit")
    do(meeting, "finalize")
    (decided,) = [
        o
        for o in case.objectValues()
        if getattr(o, "meeting_uid", None) == meeting.UID()
    ]
    held, coming = seeded_receptions(site)
    # An accountability record against 住建局 naming a person, decided (the
    # county's head reads it, masked) and a draft (the bureau's only).

    records = []
    for decide in (True, False):
        record = api.content.create(
            container=site["accountability"],
            type="AccountabilityRecord",
            title="",
            unit="JSJ",
            cause="overdue",
            linked_cases=[relation_to(case)],
            measure="talk",
            facts="督办件逾期未反馈。",
            authority="县信访工作联席会议",
            decision_date=local_today(),
            person_name=ACCUSED,
            person_post="住建局副局长",
        )
        record.facts += "（补充）"
        notify(ObjectModifiedEvent(record))  # a second version in its history
        if decide:
            do(record, "decide")
        records.append(record)
    transaction.commit()
    # 社会稳定预警: the default rules raised the repeat of the same petitioner
    # on the two cases (both hold accusation material: the bureau's only);
    # its acknowledgement note carries the petitioner's data.
    from xinfang_archive.earlywarning.acknowledge import acknowledge

    warnings = list(site["warnings"].objectValues())
    assert warnings, "the default rules raised no warning on the seeded cases"
    acknowledge(warnings[0], f"已约谈{NAME}，电话{PHONE}，住{ADDRESS}。")
    transaction.commit()

    # The first of a type holding a seeded value represents it for Plone's
    # generic views: the most exposed first (the draft minutes are editable).
    objects = [
        site,
        site["cases"],
        case,
        accusation,
        letter,
        reply,
        filed,
        *filed.objectValues(),
        site["hearings"],
        hearing,
        draft,
        private,
        transcript,
        site["hearing-notices"],
        notice,
        site["archive-office"],
        site["screening"],
        report,
        site["meetings"],
        meeting,
        decided,
        site["receptions"],
        held,
        coming,
        *list(received_cases(held) + received_cases(coming)),
        site["accountability"],
        *records,
        site["warnings"],
        *warnings,
    ]
    return {
        "objects": objects,
        "code": code_of(case),
        "code_display": format_code(code_of(case)),
    }


def seeded_receptions(site):
    """A reception day held today with a case received (住建局), its minutes,
    the leader's instruction and follow-up naming the petitioner, her phone
    and address; and one published for next week with a case linked and a
    record written by code (the public must see its schedule, nothing else)."""
    from datetime import time
    from datetime import timedelta
    from plone.app.textfield.value import RichTextValue
    from plone.dexterity.utils import createContentInContainer
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    said = f"{NAME}反映征地补偿，住{ADDRESS}，电话{PHONE}"
    receptions = []
    for day, state in (
        (local_today(), "hold"),
        (local_today() + timedelta(days=7), "publish"),
    ):
        reception = createContentInContainer(
            site["receptions"],
            "LeaderReception",
            leader="周建国",
            post="副县长",
            responsibilities="分管住房城乡建设",
            reception_date=day,
            start_time=time(9),
            end_time=time(11, 30),
            place="县信访局接待大厅",
        )
        case = seeded_case(
            site,
            title="领导接待日反映征地补偿",
            channel="reception_day",
            responsible_unit="JSJ",
            reception=RelationValue(getUtility(IIntIds).getId(reception)),
        )
        do(reception, state)
        number = case.registration_number
        reception.minutes = RichTextValue(f"<p>{said}。</p>", "text/html", "text/html")
        reception.instructions = [
            {
                "case_number": number,
                "instructed_on": day,
                "instruction": f"{said}，请住建局核实。",
            }
        ]
        reception.follow_ups = [
            {"case_number": number, "day": day, "note": f"过问：{said}。"}
        ]
        notify(ObjectModifiedEvent(reception))  # a second version in its history
        receptions.append(reception)
    return receptions


# -- enumeration ------------------------------------------------------------


def registries(site):
    """The site's component registry and all its bases (the global one)."""
    seen, queue = [], [getSiteManager(site)]
    while queue:
        registry = queue.pop(0)
        if registry not in seen:
            seen.append(registry)
            queue.extend(registry.__bases__)
    return seen


def request_spec():
    """What a request to the site provides: the default browser layer, the
    add-on's and the other layers installed in the site."""
    from plone.browserlayer.utils import registered_layers
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.publisher.interfaces.browser import IDefaultBrowserLayer

    class Request:
        pass

    request = Request()
    directlyProvides(
        request, IXinfangArchiveLayer, IDefaultBrowserLayer, *registered_layers()
    )
    return providedBy(request)


def from_addon(registration):
    module = getattr(registration.factory, "__module__", "") or ""
    return module.startswith("xinfang_archive") or "xinfang_archive" in str(
        registration.info
    )


def registered(site, obj):
    """{(kind, name, accept): from the add-on?} of the browser views and GET
    services registered for ``obj`` and a request to the site."""
    request = request_spec()
    provides = providedBy(obj)
    found = {}
    for registry in registries(site):
        for registration in registry.registeredAdapters():
            required, name = registration.required, registration.name
            if len(required) != 2 or not name or not provides.isOrExtends(required[0]):
                continue
            if not request.isOrExtends(required[1]):
                continue
            service = GET_SERVICE.match(name)
            if service:
                key = (
                    "service",
                    service["name"],
                    f"{service['type']}/{service['subtype']}",
                )
            elif METHOD.match(name):
                continue  # a service, but not GET
            elif (
                registration.provided is Interface
                or registration.provided.isOrExtends(IBrowserView)
            ):
                key = ("view", name, HTML)
            else:
                continue  # not published: widgets, traversers, serializers, menus…
            found[key] = found.get(key, False) or from_addon(registration)
    return found


def view_roles(site, obj, name):
    """The roles the class of the view ``obj/@@name`` declares (its
    ``__roles__``, which is what ZPublisher validates); None: public."""
    factory = getSiteManager(site).adapters.lookup(
        (providedBy(obj), request_spec()), Interface, name
    )
    return getattr(factory, "__roles__", None)


def method_roles(obj, name):
    """The roles declared for the method ``obj/name``; None: public or
    undeclared (left to the object's default)."""
    return getattr(obj, f"{name}__roles__", None)


def refused_by_declaration(obj, roles, cache):
    """The principals the publisher refuses for ``roles`` on ``obj``."""
    if hasattr(roles, "__of__"):
        roles = roles.__of__(obj)
    if roles is None:  # public
        return set()
    key = (obj.getPhysicalPath(), tuple(roles))
    if key not in cache:
        cache[key] = set() if "Anonymous" in roles else {"anonymous"}
        for user_id in FORBIDDEN:
            if user_id != "anonymous":
                with api.env.adopt_user(username=user_id):
                    if not getSecurityManager().getUser().allowed(obj, roles):
                        cache[key].add(user_id)
    return cache[key]


def generic_skip(obj, roles, rotation, irrelevant, cache):
    """{principal: why} a generic endpoint of ``obj`` protected by
    ``roles`` is not requested as them."""
    skip = dict.fromkeys(irrelevant, "holds nothing of theirs")
    skip.update(
        dict.fromkeys(refused_by_declaration(obj, roles, cache) - set(skip), "refused")
    )
    staff = (
        STAFF_WITHOUT_PERSONAL_DATA[rotation:] + STAFF_WITHOUT_PERSONAL_DATA[:rotation]
    )
    allowed = [user_id for user_id in staff if user_id not in skip]
    skip.update(dict.fromkeys(allowed[1:], "stand-in"))
    return skip


def published_methods(obj):
    """{name: from the add-on?} of the methods ZPublisher publishes on
    ``obj`` for a GET: public names of callables with a docstring.  The
    WebDAV verbs (``MOVE``, ``PROPFIND``…) answer their own request methods,
    not GET, and are left out."""
    found = {}
    for name in dir(obj):
        if name.startswith("_") or name.isupper():
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if not callable(value) or not getattr(value, "__doc__", None):
            continue
        owner = next(
            (klass for klass in type(aq_base(obj)).__mro__ if name in vars(klass)), None
        )
        found[name] = owner is not None and owner.__module__.startswith(
            "xinfang_archive"
        )
    return found


def action_urls(site, obj, categories):
    """(name, URL) of the actions of ``categories`` on ``obj`` ("type" is the
    type's actions, the others portal_actions' categories), and how many
    could not be evaluated outside a request."""
    from Products.CMFCore.ActionInformation import ActionInfo
    from Products.CMFPlone.PloneBaseTool import getExprContext

    context = getExprContext(site, obj)
    actions = []
    fti = api.portal.get_tool("portal_types").getTypeInfo(obj)
    if "type" in categories and fti is not None:
        actions.extend(("type", action) for action in fti.listActions())
    for category in api.portal.get_tool("portal_actions").objectValues():
        if category.getId() in categories or "portal_actions" in categories:
            actions.extend(
                (category.getId(), action) for action in category.objectValues()
            )
    urls, failed = [], 0
    for category, action in actions:
        try:
            url = ActionInfo(action, context)["url"]
        except (
            LookupError,
            NameError,
            AttributeError,
            TypeError,
        ):  # e.g. a feed on what has no feed
            failed += 1
            continue
        if isinstance(url, str) and url.startswith(site.absolute_url()):
            urls.append((f"{category}:{action.getId()}", url))
    return urls, failed


def values_in(obj, values, deep=False):
    """Which of ``values`` ``obj`` (and, ``deep``, what is inside it) holds
    in its attributes."""
    found, queue = set(), [obj]
    while queue:
        item = queue.pop()
        base = aq_base(item)
        base._p_activate()  # a ghost after the commit has no attributes yet
        data = repr(vars(base))
        found.update(value for value in values if value in data)
        if deep and getattr(base, "isPrincipiaFolderish", False):
            queue.extend(item.contentValues())
    return found


def plan(site, seeded, forbidden):  # noqa: C901
    """The endpoints to request, and counts of what was enumerated."""
    endpoints, counts, addon, allowed = [], Counter(), set(), {}
    portal_url = site.absolute_url()
    # The public result query first (it is rate limited), with what the
    # petitioner holds.
    for code in (seeded["code"], seeded["code_display"]):
        endpoints.append(
            Endpoint(
                "channel",
                "result-query",
                f"{portal_url}/@@result-query?code={code}",
                HTML,
            )
        )
        endpoints.append(
            Endpoint(
                "channel",
                "@result-query",
                f"{portal_url}/@result-query?code={code}",
                JSON,
            )
        )
    values = {value for labelled in forbidden.values() for value in labelled.values()}
    representatives = {site.portal_type: site}
    for obj in seeded["objects"]:
        if values_in(obj, values):
            representatives.setdefault(obj.portal_type, obj)
    for number, obj in enumerate(seeded["objects"]):
        first = len(endpoints)
        url = obj.absolute_url()
        generic = FULL or representatives.get(obj.portal_type) is obj
        # The principals none of whose forbidden values are in or under ``obj``.
        held = values_in(obj, values, deep=True)
        irrelevant = {
            user_id
            for user_id, labelled in forbidden.items()
            if not held & set(labelled.values())
        }
        views, generic_views = set(), set()
        for (kind, name, accept), of_addon in sorted(registered(site, obj).items()):
            counts[kind] += 1
            if of_addon:
                addon.add((kind, name))
            if kind == "service":
                if of_addon or not name or generic:
                    endpoints.append(
                        Endpoint(
                            "service",
                            name or "(object)",
                            f"{url}/{name}".rstrip("/"),
                            accept,
                        )
                    )
                else:
                    counts["generic service elsewhere"] += 1
            elif of_addon:
                views.add(name)
                endpoints.append(Endpoint("view", name, f"{url}/@@{name}", accept))
            elif generic:
                views.add(name)
                skip = (
                    None
                    if FULL
                    else generic_skip(
                        obj,
                        view_roles(site, obj, name),
                        number % len(STAFF_WITHOUT_PERSONAL_DATA),
                        irrelevant,
                        allowed,
                    )
                )
                endpoints.append(
                    Endpoint("plone view", name, f"{url}/@@{name}", accept, skip)
                )
            else:
                generic_views.add(name)
                counts["generic view elsewhere"] += 1
        # The methods and attributes the publisher serves (``obj/Title``…).
        for name, of_addon in sorted(published_methods(obj).items()):
            counts["method"] += 1
            if of_addon:
                addon.add(("method", name))
                endpoints.append(Endpoint("method", name, f"{url}/{name}", HTML))
            elif generic:
                skip = (
                    None
                    if FULL
                    else generic_skip(
                        obj,
                        method_roles(obj, name),
                        number % len(STAFF_WITHOUT_PERSONAL_DATA),
                        irrelevant,
                        allowed,
                    )
                )
                endpoints.append(
                    Endpoint("plone method", name, f"{url}/{name}", HTML, skip)
                )
            else:
                counts["generic method elsewhere"] += 1
        # The type's method aliases and actions, unless they publish a view
        # planned above or, elsewhere than on a representative, a generic one.
        fti = api.portal.get_tool("portal_types").getTypeInfo(obj)
        layout = obj.getLayout() if hasattr(aq_base(obj), "getLayout") else None
        for alias, target in sorted(
            (fti.getMethodAliases() if fti is not None else {}).items()
        ):
            counts["alias"] += 1
            if alias == "(Default)":
                endpoints.append(Endpoint("alias", alias, url, HTML))
                continue
            view = (
                layout
                if target in ("(selected layout)", "(dynamic view)")
                else target.lstrip("@")
            )
            if view in views or view in generic_views:
                counts["alias publishing a view planned or generic"] += 1
            else:
                endpoints.append(Endpoint("alias", alias, f"{url}/{alias}", HTML))
        urls, failed = action_urls(
            site, obj, ("type", "portal_actions") if generic else ("type",)
        )
        counts["action not computable here"] += failed
        for name, target in urls:
            counts["action"] += 1
            view = (
                target[len(url) + 1 :].lstrip("@")
                if target.startswith(url + "/")
                else None
            )
            if view in views or view in generic_views:
                counts["action publishing a view planned or generic"] += 1
            else:
                endpoints.append(Endpoint("action", name, target, HTML))
        endpoints[first:] = [
            endpoint._replace(portal_type=obj.portal_type)
            for endpoint in endpoints[first:]
        ]
    # Search-like endpoints of the site and its top folders asked for seeded values.
    depth = len(site.getPhysicalPath()) + 1
    tops = {
        obj.absolute_url()
        for obj in seeded["objects"]
        if len(obj.getPhysicalPath()) <= depth
    }
    for endpoint in list(endpoints):
        if (
            SEARCHLIKE.search(endpoint.name)
            and "?" not in endpoint.url
            and endpoint.url.rsplit("/", 1)[0] in tops
        ):
            for term in SEARCH_TERMS:
                query = urlencode(dict.fromkeys(SEARCH_PARAMETERS, term))
                endpoints.append(
                    endpoint._replace(kind="search", url=f"{endpoint.url}?{query}")
                )
                counts["search"] += 1
    unique, seen = [], set()
    for endpoint in endpoints:
        if (
            endpoint.url,
            endpoint.accept,
        ) not in seen and endpoint.name not in EXCLUDED:
            seen.add((endpoint.url, endpoint.accept))
            unique.append(endpoint)
    return unique, counts, addon


# -- reading responses ------------------------------------------------------


def squeeze(text):
    return "".join(text.split())


def texts_of(content, content_type="", filename=""):
    """The texts a response body (or a member of a ZIP) shows."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type == "application/pdf" or content[:5] == b"%PDF-":
        from pdfminer.high_level import extract_text
        from pdfminer.psparser import PSException

        try:
            return [extract_text(BytesIO(content))]
        except (PSException, ValueError) as error:  # and the raw bytes are read instead
            return [f"unreadable PDF: {error}", content.decode("utf-8", "replace")]
    if content[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(BytesIO(content))
        except zipfile.BadZipFile:
            return [content.decode("utf-8", "replace")]
        texts = list(archive.namelist())
        if (
            "spreadsheetml" in content_type
            or filename.endswith(".xlsx")
            or "xl/workbook.xml" in texts
        ):
            from openpyxl import load_workbook

            workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
            texts.append(
                "\n".join(
                    str(cell)
                    for sheet in workbook.worksheets
                    for row in sheet.iter_rows(values_only=True)
                    for cell in row
                    if cell is not None
                )
            )
        for name in archive.namelist():
            texts.extend(texts_of(archive.read(name), filename=name))
        return texts
    text = content.decode("utf-8", "replace")
    if "json" in content_type or text.lstrip()[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return [text, unquote(html.unescape(text))]


def texts_shown(response):
    """Everything a response shows: its body read whole, and its headers."""
    texts = texts_of(response.content, response.headers.get("Content-Type"))
    texts.append(
        unquote("\n".join(f"{key}: {value}" for key, value in response.headers.items()))
    )
    return texts + [squeeze(text) for text in texts]


def shown(texts, values):
    """The labels of ``values`` that ``texts`` show."""
    return {
        label for label, value in values.items() if any(value in text for text in texts)
    }


# -- the crawl --------------------------------------------------------------


def sub_resources(response, url):
    """The ``@id`` links of a JSON answer below ``url`` (``@history/0``…)."""
    found, queue = [], []
    if "json" in response.headers.get("Content-Type", ""):
        with contextlib.suppress(ValueError):
            queue.append(response.json())
    while queue:
        item = queue.pop(0)
        if isinstance(item, dict):
            link = item.get("@id")
            if (
                isinstance(link, str)
                and link.startswith(url + "/")
                and link not in found
            ):
                found.append(link)
            queue.extend(item.values())
        elif isinstance(item, list):
            queue.extend(item)
    return found


def session(user_id):
    http = requests.Session()
    http.headers["Accept-Language"] = "zh-CN"
    if user_id != "anonymous":
        http.auth = (user_id, STAFF_PASSWORD)
    return http


def crawl(user_id, forbidden, endpoints, portal_url, tally, log):
    """Request ``endpoints`` as ``user_id``.  Returns {(kind, name, url):
    labels} of the leaks, and the labels of the seeded values they may see
    that were seen (the control that the responses are read at all)."""
    from xinfang_archive.publicquery.ratelimit import LIMITER

    LIMITER.reset()  # every principal gets the visitor's attempts at the result query
    permitted = {
        label: value for label, value in SEEDED.items() if label not in forbidden
    }
    leaks, seen = defaultdict(set), set()
    http = session(user_id)
    queue, requested = list(endpoints), set()
    while queue:
        endpoint = queue.pop(0)
        if (endpoint.url, endpoint.accept) in requested:
            continue
        requested.add((endpoint.url, endpoint.accept))
        reason = (endpoint.skip or {}).get(user_id)
        if reason is not None:
            tally[reason] += 1
            if reason != "refused" or tally[reason] % SPOT_CHECK:
                continue
            tally["refused but spot-checked"] += 1
        began = time.time()
        response = http.get(
            endpoint.url,
            headers={"Accept": endpoint.accept},
            allow_redirects=False,
            timeout=300,
        )
        tally["pairs"] += 1
        tally[f"HTTP {response.status_code}"] += 1
        if reason is not None and response.status_code == 200:
            tally["refused but spot-checked: served"] += 1
        if log is not None:
            log.write(
                f"{time.time() - began:.2f} {user_id} {response.status_code} {endpoint.kind} "
                f"{endpoint.url}\n"
            )
        # What the principal sent is no leak when it comes back.
        sent = unquote(endpoint.url)
        exempt = ALLOWED.get((user_id, endpoint.name, endpoint.portal_type), set())
        check = {
            label: value
            for label, value in forbidden.items()
            if value not in sent and squeeze(value) not in sent and label not in exempt
        }
        texts = texts_shown(response)
        for label in shown(texts, check):
            leaks[(endpoint.kind, endpoint.name, endpoint.url)].add(label)
            if log is not None:
                log.write(f"LEAK {user_id} {endpoint.kind} {endpoint.url} {label}\n")
        if exempt and shown(texts, {label: forbidden[label] for label in exempt}):
            tally["allowed exception used"] += 1
        seen |= shown(texts, permitted)
        if endpoint.kind == "service" and response.status_code == 200:
            for url in sub_resources(response, endpoint.url)[:SUB_RESOURCES]:
                queue.append(
                    Endpoint("sub-resource", f"{endpoint.name}/…", url, endpoint.accept)
                )
        location = response.headers.get("Location", "")
        if (
            response.is_redirect
            and location.startswith(portal_url)
            and not any(p in location for p in LOGIN)
        ):
            queue.append(
                Endpoint("redirect", f"{endpoint.name} →", location, endpoint.accept)
            )
    http.close()
    return leaks, seen


def test_no_principal_gets_what_they_must_not_see(site, seeded, capsys):
    started = time.time()
    forbidden = {user_id: dict(values) for user_id, values in FORBIDDEN.items()}
    for user_id in WITHOUT_PERSONAL_DATA:
        forbidden[user_id].update(
            {
                "query code": seeded["code"],
                "query code (display)": seeded["code_display"],
            }
        )
    endpoints, counts, addon = plan(site, seeded, forbidden)
    planned = time.time() - started
    portal_url = site.absolute_url()
    log_path = os.environ.get("LEAK_CRAWLER_LOG")
    log = open(log_path, "w", buffering=1) if log_path else None  # noqa: SIM115
    found, tally = [], Counter()
    unseen = {}
    for user_id, values in forbidden.items():
        leaks, seen = crawl(user_id, values, endpoints, portal_url, tally, log)
        unseen[user_id] = CONTROLS.get(user_id, set()) - seen
        found.extend(
            (user_id, kind, name, url, ", ".join(sorted(labels)))
            for (kind, name, url), labels in leaks.items()
        )
    if log is not None:
        log.close()

    enumerated = (
        f"leak crawler{' (full)' if FULL else ''}: {len(seeded['objects'])} objects; enumerated "
        f"{counts['view']} views and {counts['service']} GET services (object × name; "
        f"{len(addon)} names of the add-on), {counts['method']} published methods, {counts['alias']} method aliases, {counts['action']} "
        f"action URLs ({counts['action not computable here']} not computable), "
        f"{counts['search']} searches for seeded values"
    )
    checked = (
        f"leak crawler: {len(endpoints)} URLs; {tally['pairs']} principal × URL pairs requested and "
        f"checked in {time.time() - started:.0f}s (planning {planned:.0f}s)"
    )
    skipped = (
        f"leak crawler: not requested: generic views {counts['generic view elsewhere']}, "
        f"services {counts['generic service elsewhere']} and methods {counts['generic method elsewhere']} elsewhere than on their type's "
        f"representative; pairs {tally['holds nothing of theirs']} on objects holding nothing "
        f"forbidden to the principal, {tally['stand-in']} with a stand-in, {tally['refused']} "
        f"refused by declared permission ({tally['refused but spot-checked']} spot-checked, "
        f"{tally['refused but spot-checked: served']} of them served); "
        f"allowed exception used {tally['allowed exception used']}×"
    )
    statuses = "leak crawler: " + ", ".join(
        f"{key} {value}"
        for key, value in sorted(tally.items())
        if key.startswith("HTTP")
    )
    found.sort()
    lines = [
        enumerated,
        checked,
        skipped,
        statuses,
        *(" | ".join(("LEAK", *row)) for row in found),
    ]
    with capsys.disabled():  # the figures are shown on every run, not only on a failure
        print("\n" + "\n".join(lines))
    assert not any(unseen.values()), (
        f"allowed values never seen (are responses read?): {unseen}"
    )
    assert not found, f"{len(found)} leaks:\n" + "\n".join(
        " | ".join(row) for row in found
    )
