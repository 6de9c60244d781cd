"""A tour of the demo archive in Debian's Chromium: each demo role logs in,
lands on its home and does its main task; a screenshot of each home is
saved (the README shows them, from ``docs/tour``)."""

from plone import api
from tests.helpers.archival import do
from tests.helpers.browser import login
from tests.helpers.browser import register_case
from tests.helpers.browser import SCREENSHOTS
from tests.helpers.cases import case_data
from tests.helpers.hearings import add_transcript
from tests.helpers.hearings import approve
from tests.helpers.hearings import make_hearing
from tests.helpers.hearings import petitioner_row
from xinfang_archive.localtime import local_today

import pytest
import transaction


pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture()
def demo(site, tmp_path, monkeypatch):
    """The demo archive (as ``xinfang-archive init`` makes it, smaller), and
    minutes waiting to be published; ``{user id: password}`` of its staff."""
    from xinfang_archive.cli.demo import generate

    monkeypatch.setenv("XINFANG_TRANSFER_DIR", str(tmp_path / "transfers"))
    staff = generate(site, 40, seed=3)
    # as ``init`` names it (the test layer's site is "Plone site")
    site.title = "信访档案馆"
    api.portal.set_registry_record("plone.site_title", "信访档案馆")
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(
            title="村民反映征地补偿款未发放到位",
            received_date=local_today(),
            petitioners=[petitioner_row()],
        ),
    )
    hearing = make_hearing(site, [case], title="关于征地补偿问题的听证")
    do(hearing, "hold")
    approve(add_transcript(hearing))
    transaction.commit()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return {user_id: password for user_id, password, _role in staff}


def open_home(browser, base, user=None, password=None):
    page = browser.new_context(locale="zh-CN", viewport=VIEWPORT).new_page()
    if user:
        login(page, base, user, password)
    page.goto(base)
    page.wait_for_selector("#xf-home")
    return page


def shoot(page, role):
    page.screenshot(path=str(SCREENSHOTS / f"home-{role}.png"))


def state_of(obj):
    transaction.begin()  # see what the server committed
    return api.content.get_state(obj)


def test_the_tour(site, demo, browser):
    base = site.absolute_url()
    catalog = api.portal.get_tool("portal_catalog")

    # the registrar registers a petition from the home's button
    page = open_home(browser, base, "registrar", demo["registrar"])
    assert page.is_visible("#xf-home-registrar")
    shoot(page, "registrar")
    page.click("#xf-home-intake a.btn")
    register_case(
        page,
        "反映小区加装电梯补贴未兑现",
        local_today(),
        "urban",
        "ordinary",
        "反映小区加装电梯的补贴至今未兑现。",
        name="周六",
    )
    assert "反映小区加装电梯补贴未兑现" in page.inner_text("h1.documentFirstHeading"), [
        e.inner_text() for e in page.query_selector_all(".invalid-feedback, .alert")
    ]

    # a unit's handler issues the handling opinion of a case in progress and replies
    [brain] = catalog.unrestrictedSearchResults(
        portal_type="PetitionCase",
        review_state="in_progress",
        sort_on="case_deadline",
        sort_limit=1,
    )[:1]
    handler = f"handler-{brain.case_unit.lower()}"
    page = open_home(browser, base, handler, demo[handler])
    assert page.is_visible("#xf-home-unit-cases")
    shoot(page, "handler")
    case_url = brain.getURL()
    page.goto(case_url + "/@@issue-reply?kind=handling_opinion")
    page.fill("#document_number", "城信办复〔2026〕99号")
    page.select_option("#outcome", index=1)
    page.click("button[name='form.issue']")
    page.wait_for_load_state()
    page.goto(case_url)
    page.click("#xf-transition-reply")
    page.click("#xf-confirm")
    page.wait_for_load_state()
    assert state_of(brain._unrestrictedGetObject()) == "replied"

    # the hearing organizer publishes the approved minutes from the home's list
    page = open_home(browser, base, "organizer", demo["organizer"])
    shoot(page, "organizer")
    page.click("#xf-home-transcripts li a")
    page.wait_for_load_state()
    page.goto(page.url.split("?")[0] + "/@@mask-preview")
    page.click("button[name='form.publish']")
    page.wait_for_load_state()
    assert "/hearing-notices/" in page.url

    # the archivist files the first closed case of the home's list
    page = open_home(browser, base, "archivist", demo["archivist"])
    assert int(page.inner_text("#xf-home-appraisal-due .xf-block-count")) > 0
    shoot(page, "archivist")
    page.click("#xf-home-to-file li a")
    page.wait_for_load_state()
    filed_url = page.url
    page.goto(filed_url + "/@@file-case")
    page.click("#xf-file")
    page.wait_for_load_state()
    path = filed_url.removeprefix(base + "/")
    assert state_of(site.unrestrictedTraverse(path)) == "filed"

    # the inspector searches from the home and opens a decision
    page = open_home(browser, base, "inspector", demo["inspector"])
    shoot(page, "inspector")
    page.fill("#xf-home-search input[name='q']", "意见")
    page.click("#xf-home-search button")
    page.wait_for_selector("#xf-result-count")
    page.click("#xf-facet-portal_type a[data-value='Reply']")
    page.wait_for_load_state()
    page.click(".xf-hit-link")
    page.wait_for_load_state()
    assert "意见书" in page.title(), page.url

    # the public: the result query, hearing notices and reception days
    page = open_home(browser, base)
    assert page.is_visible("#xf-home-result-query")
    shoot(page, "public")
    page.click("#xf-home-result-query a.btn")
    page.wait_for_load_state()
    assert page.url.endswith("/@@result-query")
