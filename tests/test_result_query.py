"""结果查询: query codes, the public page @@result-query and the REST
endpoint @result-query, probed as an anonymous visitor over HTTP."""

from datetime import timedelta
from plone import api
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from tests.helpers.archival import do
from tests.helpers.archival import TODAY
from tests.helpers.cases import case_data
from tests.helpers.cases import VALID_ID
from xinfang_archive.publicquery import codes
from xinfang_archive.publicquery.codes import query_code_for_display
from xinfang_archive.publicquery.lookup import find_case
from xinfang_archive.publicquery.lookup import NOT_FOUND
from xinfang_archive.publicquery.lookup import too_many_message
from xinfang_archive.publicquery.ratelimit import client_key
from xinfang_archive.publicquery.ratelimit import LIMITER
from xinfang_archive.publicquery.ratelimit import RateLimiter
from zope.i18n import translate

import pytest
import re
import transaction


NAME = "张三"
PHONE = "13812345678"
ADDRESS = "浙江省杭州市西湖区文三路100号"
TITLE = case_data()["title"]
SUMMARY = case_data()["summary"]
REQUEST = case_data()["request"]
SECRETS = (NAME, VALID_ID, PHONE, ADDRESS, "文三路", TITLE, SUMMARY, REQUEST)

REPLY_HTML = (
    f"<p>{NAME}（身份证号{VALID_ID}，电话{PHONE}，住{ADDRESS}）反映征地补偿款未发放一事，经调查核实：</p>"
    "<p>补偿款已于本月拨付到村，请向村委会领取。</p>"
    f"<p>以上是对你所反映“{TITLE}”事项的答复。</p>"  # the title is never shown: masked
)
AMBIGUOUS = set("01OIL")


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def clock():
    """The process-wide limiter on a clock the test turns, with no counts."""
    fake = FakeClock()
    real = LIMITER.clock
    LIMITER.clock = fake
    LIMITER.reset()
    yield fake
    LIMITER.clock = real
    LIMITER.reset()


def zh(message):
    """What a zh-CN visitor reads (Chinese once the catalogs are merged)."""
    return translate(message, target_language="zh_CN")


def add_reply(
    case,
    day=TODAY,
    number="城建信〔2024〕1号",
    kind="handling_opinion",
    outcome="explain",
):
    return createContentInContainer(
        case,
        "Reply",
        checkConstraints=False,
        kind=kind,
        document_number=number,
        reply_date=day,
        outcome=outcome,
        body=RichTextValue(REPLY_HTML, "text/html", "text/x-html-safe"),
    )


def replied_case(container, **overrides):
    """An accepted, assigned case with one reply issued today and one dated later."""
    case = api.content.create(
        container=container, type="PetitionCase", **case_data(**overrides)
    )
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    add_reply(case)
    add_reply(case, day=TODAY + timedelta(days=30), number="城建信〔2024〕9号")
    return case


# --- codes ---------------------------------------------------------------------


def test_generated_codes_are_well_formed_and_distinct():
    made = {codes.generate_code() for _i in range(2000)}
    assert len(made) == 2000
    for code in made:
        assert codes.is_well_formed(code) and not AMBIGUOUS & set(code)
    assert len(codes.ALPHABET) == 31 and not AMBIGUOUS & set(codes.ALPHABET)
    assert re.fullmatch(
        r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", codes.format_code("k7qm2xpd9r4t")
    )


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM-2XPD-9R4T",
        "k7qm2xpd9r4t",
        " K7QM 2XPD 9R4T ",
        "k7qm—2xpd－9r4t",
        "Ｋ７ＱＭ－２ＸＰＤ－９Ｒ４Ｔ",
        "ｋ７ｑｍ\u3000２ｘｐｄ\u3000９ｒ４ｔ",
    ],
)
def test_normalise_accepts_the_ways_people_type_a_code(typed):
    assert codes.normalise(typed) == "K7QM2XPD9R4T"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "K7QM-2XPD",
        "K7QM-2XPD-9R4T-X",
        "K7QM-2XPD-9R40",
        "K7QM-2XPD-9R4I",
        "K7QM-2XPD-9R4#",
        "征地拆迁征地拆迁征地拆迁",
        None,
        ["x"],
    ],
)
def test_malformed_codes_are_not_codes(typed):
    assert not codes.is_well_formed(codes.normalise(typed))


def test_registered_cases_get_distinct_codes_indexed_only_as_fingerprints(
    make_case, portal
):
    first, second = make_case(), make_case()
    code = codes.code_of(first)
    assert codes.is_well_formed(code) and code != codes.code_of(second)
    catalog = api.portal.get_tool("portal_catalog")
    assert "query_key" in catalog.indexes() and "query_key" not in catalog.schema()
    (brain,) = catalog.unrestrictedSearchResults(query_key=codes.query_key(code))
    assert first.UID() == brain.UID
    assert codes._in_use(code) and not codes._in_use(codes.generate_code())
    # Nothing the catalog holds of the case contains the code in clear.
    rid = brain.getRID()
    held = repr(catalog.getIndexDataForRID(rid)) + repr(catalog.getMetadataForRID(rid))
    for form in (code, codes.format_code(code), code.lower()):
        assert form not in held
    assert catalog.getIndexDataForRID(rid)["query_key"].startswith("qc:")
    assert not catalog.unrestrictedSearchResults(SearchableText=code)
    # Nor is it a field of the case that forms or the REST API show.
    from plone.restapi.interfaces import ISerializeToJson
    from zope.component import getMultiAdapter

    serialized = repr(getMultiAdapter((first, portal.REQUEST), ISerializeToJson)())
    assert code not in serialized and codes.format_code(code) not in serialized


def test_a_copy_gets_a_code_of_its_own(make_case, cases):
    case = make_case()
    copy = api.content.copy(source=case, target=cases, safe_id=True)
    assert codes.is_well_formed(codes.code_of(copy))
    assert codes.code_of(copy) != codes.code_of(case)
    assert find_case(codes.code_of(copy)).UID() == copy.UID()


def test_the_code_survives_reverting_the_case(make_case):
    case = make_case()
    code = codes.code_of(case)
    repository = api.portal.get_tool("portal_repository")
    case.summary = "改过的内容"
    repository.save(case, comment="edit")
    repository.revert(case, 0)
    assert codes.code_of(case) == code
    assert find_case(code).UID() == case.UID()


def test_lookup_by_code_as_typed(make_case):
    case = make_case()
    code = codes.code_of(case)
    spaced_lower = " ".join(code[i : i + 4] for i in (0, 4, 8)).lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in codes.format_code(code))
    for typed in (code, codes.format_code(code), spaced_lower, full_width):
        assert find_case(typed) is not None and find_case(typed).UID() == case.UID(), (
            typed
        )
    other = "2" * 12 if code != "2" * 12 else "3" * 12
    assert find_case(other) is None
    assert find_case(code[:-1]) is None and find_case(code + "2") is None


def test_lookup_confirms_the_code_on_the_case(make_case):
    """A stale index entry (the code changed without reindexing) finds nothing."""
    case = make_case()
    code = codes.code_of(case)
    setattr(case, codes.CODE_ATTRIBUTE, codes.generate_code())
    assert find_case(code) is None


def test_query_code_for_display_needs_personal_data_permission(make_case, portal):
    case = make_case()
    shown = query_code_for_display(case)
    assert shown == codes.format_code(codes.code_of(case))
    setRoles(portal, TEST_USER_ID, ["Inspector"])
    assert query_code_for_display(case) is None
    logout()
    assert query_code_for_display(case) is None


# --- rate limits ------------------------------------------------------------------


def test_limit_per_client_and_reset_with_the_clock(clock):
    limiter = RateLimiter(clock=clock)
    for _i in range(10):
        assert limiter.hit("10.0.0.1") is None
        clock.now += 1
    assert limiter.hit("10.0.0.1") == 590  # the first attempt leaves the window then
    assert limiter.hit("10.0.0.2") is None  # another client is not held back
    clock.now += 589
    assert limiter.hit("10.0.0.1") == 1
    clock.now += 1
    assert limiter.hit("10.0.0.1") is None  # refused attempts were not counted
    assert limiter.hit("10.0.0.1") == 1


def test_global_limit_slows_rotating_addresses(clock):
    limiter = RateLimiter(clock=clock)
    for i in range(300):
        assert limiter.hit(f"10.1.{i // 250}.{i % 250}") is None
    assert limiter.hit("192.0.2.1") == 60
    clock.now += 59
    assert limiter.hit("192.0.2.1") == 1
    clock.now += 1
    assert limiter.hit("192.0.2.1") is None


def test_ipv6_clients_are_counted_per_64_network():
    assert (
        client_key("2001:db8:1:2:aaaa::1")
        == client_key("2001:db8:1:2:bbbb::9")
        == "2001:db8:1:2::/64"
    )
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key("192.0.2.7") == "192.0.2.7" and client_key("unknown") == "unknown"


def test_stale_clients_are_forgotten(clock):
    limiter = RateLimiter(clock=clock)
    limiter.reset()
    for i in range(50):
        limiter.hit(f"10.2.0.{i}")
    clock.now += 601
    limiter.hit("10.3.0.1")
    assert set(limiter._clients) == {"10.3.0.1"}


# --- over HTTP, as an anonymous visitor ---------------------------------------------


@pytest.fixture()
def published(site):
    case = replied_case(site["cases"])
    transaction.commit()
    return case


@pytest.fixture()
def anonymous(request_factory):
    session = request_factory()
    session.headers.update({"Accept-Language": "zh-CN"})
    return session


def page_url(site):
    return site.absolute_url() + "/@@result-query"


def api_url(site):
    return site.absolute_url() + "/@result-query"


def authenticator(session, site):
    page = session.get(page_url(site), headers={"Accept": "text/html"})
    assert page.status_code == 200
    return re.search(r'name="_authenticator" value="([0-9a-f]+)"', page.text).group(1)


def ask_page(session, site, code, token=None):
    token = token if token is not None else authenticator(session, site)
    return session.post(
        page_url(site),
        data={"code": code, "_authenticator": token},
        headers={"Accept": "text/html"},
    )


def ask_api(session, site, code, method="POST"):
    headers = {"Accept": "application/json"}
    if method == "POST":
        return session.post(api_url(site), json={"code": code}, headers=headers)
    return session.get(api_url(site), params={"code": code}, headers=headers)


def without_token(html):
    """The page without its authenticator (one of the ``_anon`` ring's keys)."""
    return re.sub(r'name="_authenticator" value="[0-9a-f]+"', "", html)


def assert_clean(text):
    for secret in SECRETS:
        assert secret not in text, secret
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)


def test_page_shows_the_result_to_an_anonymous_visitor(site, published, anonymous):
    form = anonymous.get(page_url(site), headers={"Accept": "text/html"})
    assert form.status_code == 200 and 'name="code"' in form.text
    assert form.headers["Cache-Control"] == "no-store"
    code = codes.code_of(published)
    page = ask_page(anonymous, site, codes.format_code(code).lower().replace("-", " "))
    assert page.status_code == 200
    text = page.text
    assert published.registration_number in text
    assert "征地拆迁" in text  # the category's title
    assert "办理中" in text  # the state, in Chinese
    assert (
        published.received_date.isoformat() in text
        and published.accepted_on.isoformat() in text
    )
    assert zh(NOT_FOUND) not in text
    # the reply issued today, masked; not the one dated later
    assert "处理意见书" in text and "城建信〔2024〕1号" in text and "解释说明" in text
    assert (
        "张某" in text
        and "浙江省杭州市西湖区××" in text
        and "补偿款已于本月拨付到村" in text
    )
    assert "城建信〔2024〕9号" not in text
    assert_clean(text)
    assert (
        code not in text and codes.format_code(code) not in text
    )  # the code is not echoed


def test_rest_answers_the_same_content(site, published, anonymous):
    code = codes.code_of(published)
    for method, typed in (("POST", codes.format_code(code)), ("GET", code.lower())):
        response = ask_api(anonymous, site, typed, method)
        assert response.status_code == 200, method
        body = response.json()
        assert body["registration_number"] == published.registration_number
        assert body["category"] == "征地拆迁"
        assert body["state"] == "in_progress" and body["state_title"] == "办理中"
        assert body["received_date"] == published.received_date.isoformat()
        assert body["accepted_on"] == published.accepted_on.isoformat()
        assert body["replied_on"] is None and body["closed_on"] is None
        assert body["deadline_kind"] == "handle" and body["deadline"]
        (reply,) = body["replies"]
        assert (
            reply["kind_title"] == "处理意见书"
            and reply["document_number"] == "城建信〔2024〕1号"
        )
        assert (
            reply["reply_date"] == TODAY.isoformat()
            and reply["outcome_title"] == "解释说明"
        )
        assert reply["text"].startswith(
            "张某（身份证号******************，电话***********，住浙江省杭州市西湖区××）"
        )
        assert not body["withheld"] and body["notice"] is None
        assert_clean(response.text)
        assert response.headers["Cache-Control"] == "no-store"


def test_closed_case_shows_its_dates_and_no_deadline(site, anonymous):
    case = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data()
    )
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    add_reply(case)
    do(case, "reply")
    do(case, "close")
    transaction.commit()
    body = ask_api(anonymous, site, codes.code_of(case)).json()
    assert body["state"] == "closed" and body["state_title"] == "办结"
    assert (
        body["replied_on"] == TODAY.isoformat()
        and body["closed_on"] == TODAY.isoformat()
    )
    assert body["deadline"] is None and body["deadline_title"] is None


def test_wrong_unknown_and_malformed_codes_get_one_answer(site, published, anonymous):
    code = codes.code_of(published)
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    unknown = "".join(reversed(code)) if "".join(reversed(code)) != code else "2" * 12
    attempts = [
        typo,
        unknown,
        "K7QM",
        "K7QM-2XPD-9R4#",
        "0O1I-L0O1-IL0O",
        "",
        "x" * 500,
    ]
    pages = [ask_page(anonymous, site, typed) for typed in attempts[:5]]
    assert {p.status_code for p in pages} == {200}
    assert len({without_token(p.text) for p in pages}) == 1  # the whole page
    assert zh(NOT_FOUND) in pages[0].text
    LIMITER.reset()
    answers = [ask_api(anonymous, site, typed) for typed in attempts]
    answers.append(
        anonymous.post(
            api_url(site), data="no json", headers={"Accept": "application/json"}
        )
    )
    answers.append(anonymous.get(api_url(site), headers={"Accept": "application/json"}))
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    assert answers[0].json()["error"]["message"] == zh(NOT_FOUND)


def test_rate_limit_answers_429_and_resets_with_the_clock(
    site, published, anonymous, clock
):
    code = codes.code_of(published)
    for _i in range(9):
        assert ask_api(anonymous, site, "2" * 12).status_code == 404
    assert (
        ask_page(anonymous, site, code).status_code == 200
    )  # the page counts too: 10th
    refused = ask_api(anonymous, site, code)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    assert refused.json()["error"]["message"] == zh(too_many_message(600))
    assert published.registration_number not in refused.text
    page = ask_page(anonymous, site, code)
    assert page.status_code == 429 and page.headers["Retry-After"] == "600"
    assert (
        zh(too_many_message(600)) in page.text
        and published.registration_number not in page.text
    )
    clock.now += 600
    assert ask_api(anonymous, site, code).status_code == 200


def test_a_post_without_the_authenticator_is_refused_and_not_counted(
    site, published, anonymous
):
    code = codes.code_of(published)
    for _i in range(12):
        refused = ask_page(anonymous, site, code, token="0" * 40)
        assert refused.status_code == 403
        assert published.registration_number not in refused.text
    assert ask_page(anonymous, site, code).status_code == 200


def test_even_a_manager_reads_the_code_only_where_it_is_shown(
    site, published, request_factory
):
    """Neither the case's JSON nor traversal to the attribute gives the code."""
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    admin = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    code = codes.code_of(published)
    case_json = admin.get(
        published.absolute_url(), headers={"Accept": "application/json"}
    )
    assert case_json.status_code == 200
    assert code not in case_json.text and codes.format_code(code) not in case_json.text
    traversed = admin.get(
        f"{published.absolute_url()}/{codes.CODE_ATTRIBUTE}",
        headers={"Accept": "text/html"},
    )
    assert traversed.status_code in (403, 404) and code not in traversed.text


def test_page_get_ignores_a_code_in_the_address(site, published, anonymous):
    page = anonymous.get(
        page_url(site),
        params={"code": codes.code_of(published)},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200 and published.registration_number not in page.text


def test_lookups_write_nothing_to_the_database(site, published, anonymous):
    code = codes.code_of(published)
    token = authenticator(
        anonymous, site
    )  # Plone's first page render stores its portlets
    db = site._p_jar.db()
    before = db.lastTransaction()
    assert ask_api(anonymous, site, code, "GET").status_code == 200
    assert ask_api(anonymous, site, code).status_code == 200
    assert ask_api(anonymous, site, "2" * 12, "GET").status_code == 404
    assert ask_page(anonymous, site, code, token).status_code == 200
    assert ask_page(anonymous, site, "2" * 12, token).status_code == 200
    assert db.lastTransaction() == before


def test_accusation_cases_show_only_state_and_dates(site, anonymous):
    case = replied_case(
        site["cases"], category="discipline", title="举报某村干部侵占补偿款"
    )
    transaction.commit()
    code = codes.code_of(case)
    body = ask_api(anonymous, site, code).json()
    assert (
        body["state_title"] == "办理中" and body["received_date"] and body["deadline"]
    )
    assert body["registration_number"] is None and body["category"] is None
    assert body["replies"] == [] and body["withheld"] is True and body["notice"]
    page = ask_page(anonymous, site, code)
    assert page.status_code == 200 and "办理中" in page.text
    for hidden in (
        case.registration_number,
        "纪检举报",
        "城建信〔2024〕1号",
        "补偿款已于本月拨付到村",
        "举报某村干部",
    ):
        assert hidden not in page.text and hidden not in repr(body), hidden
    # a case holding accusation material is treated the same
    other = replied_case(site["cases"])
    from tests.helpers.archival import add_document

    add_document(other, title="举报材料", accusation=True)
    transaction.commit()
    body = ask_api(anonymous, site, codes.code_of(other)).json()
    assert (
        body["withheld"] is True
        and body["replies"] == []
        and body["registration_number"] is None
    )


# --- upgrade ----------------------------------------------------------------------------


def test_upgrade_through_1003_gives_existing_cases_codes(site):
    old = [
        api.content.create(container=site["cases"], type="PetitionCase", **case_data())
        for _i in range(2)
    ]
    kept = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data()
    )
    kept_code = codes.code_of(kept)
    for case in old:
        delattr(case, codes.CODE_ATTRIBUTE)
    catalog = site.portal_catalog
    catalog.delIndex("query_key")
    setup = site.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1002")
    transaction.commit()

    setup.upgradeProfile("xinfang_archive:default")
    transaction.commit()
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert "query_key" in catalog.indexes()
    assert codes.code_of(kept) == kept_code
    found = set()
    for case in [*old, kept]:
        code = codes.code_of(case)
        assert codes.is_well_formed(code)
        assert find_case(code).UID() == case.UID()
        found.add(code)
    assert len(found) == 3
    # a second run changes nothing
    from xinfang_archive.publicquery.codes import give_codes_to_existing_cases

    assert give_codes_to_existing_cases(site) == 0


# --- handing the code over, and replacing it ----------------------------------


def test_the_code_is_on_a_slip_and_never_in_a_letter(make_case, request_, staff):
    from tests.helpers.pdf import pdf_text
    from tests.helpers.views import render
    from xinfang_archive.documents.reply_letters import issue_reply

    case = make_case()
    code = codes.format_code(codes.code_of(case))
    slip = render("query-code-slip", case, request_)
    assert code in pdf_text(slip) and case.registration_number in pdf_text(slip)
    reply = issue_reply(case, "acceptance_notice", "城信受〔2024〕1号")
    assert codes.code_of(case) not in pdf_text(reply.letter_file.data).replace("-", "")
    assert code not in reply.body.raw
    from AccessControl import Unauthorized

    with api.env.adopt_user(username="inspector"):
        for name in ("@@query-code-slip", "@@new-query-code"):
            with pytest.raises(Unauthorized):
                case.restrictedTraverse(name)


def test_a_leaked_code_is_replaced(make_case, request_):
    from plone.protect.authenticator import createToken
    from tests.helpers.views import render

    case = make_case()
    old = codes.code_of(case)
    request_.method = "POST"
    request_.form["_authenticator"] = createToken()
    render("new-query-code", case, request_)
    new = codes.code_of(case)
    assert new and new != old
    assert find_case(old) is None
    assert find_case(new).UID() == case.UID()


HITS = """
import sys
from xinfang_archive.publicquery.sharedlimit import SharedRateLimiter

limiter = SharedRateLimiter(sys.argv[1], global_limit=int(sys.argv[3]))
print(sum(limiter.hit(f"{sys.argv[2]}.{n % 3}" if sys.argv[2] != "one" else "203.0.113.7") is None
          for n in range(8)))
"""


def test_the_limits_hold_across_processes(tmp_path, monkeypatch):
    """``serve --processes N``: every process counts in the instance's
    ``var/ratelimit.sqlite``, so one client gets its 10 attempts once, not
    once per process, and the global cap holds for all of them together."""
    from xinfang_archive.publicquery.ratelimit import PER_CLIENT
    from xinfang_archive.publicquery.sharedlimit import shared_limiter
    from xinfang_archive.publicquery.sharedlimit import SharedRateLimiter

    import subprocess
    import sys

    def together(path, client, global_limit):
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", HITS, str(path), client, str(global_limit)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        return sum(int(process.communicate(timeout=60)[0]) for process in processes)

    assert (
        together(tmp_path / "one.sqlite", "one", 300) == PER_CLIENT
    )  # 16 attempts, 10 allowed
    assert (
        SharedRateLimiter(tmp_path / "one.sqlite").hit("203.0.113.7") > 0
    )  # and refused after
    assert (
        together(tmp_path / "all.sqlite", "198.51.100", 5) == 5
    )  # six addresses, one global cap

    monkeypatch.setenv("XINFANG_ARCHIVE_VAR", str(tmp_path))
    served = shared_limiter()
    assert isinstance(served, SharedRateLimiter) and served.path == str(
        tmp_path / "ratelimit.sqlite"
    )
    assert shared_limiter() is served
