"""A real browser: Debian's headless Chromium logs in, registers a case through
the add form and finds it on the dashboard; the case page masks nothing for
the registrar and everything for the inspector."""

from datetime import timedelta
from tests.helpers.browser import login
from tests.helpers.browser import register_case
from tests.helpers.browser import SCREENSHOTS
from xinfang_archive.localtime import local_today

import pytest


pytestmark = pytest.mark.browser


def test_register_case_through_add_form_and_see_it_on_dashboard(
    functional_portal, staff_users, browser
):
    base = functional_portal.absolute_url()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(locale="zh-CN")
    login(page, base, "registrar")

    page.goto(base + "/cases")
    page.click("#xf-register")
    register_case(
        page,
        "村集体土地征收补偿款分配不公",
        local_today() - timedelta(days=14),
        "land",
        "key",
        "反映村集体土地征收补偿款分配方案未经村民代表大会讨论。",
    )

    heading = page.inner_text("h1.documentFirstHeading")
    assert "XF-" in heading and "村集体土地征收补偿款分配不公" in heading
    number = page.inner_text(".xf-regno")
    assert "110101199003074514" in page.content()  # the registrar sees personal data
    page.screenshot(path=str(SCREENSHOTS / "case.png"), full_page=True)

    page.goto(base + "/cases")
    page.wait_for_selector("#xf-dashboard")
    due_soon = page.inner_text("#xf-due-soon")
    assert number in due_soon  # 14 days after receipt: one day left to accept
    assert int(page.inner_text("#xf-count-soon")) >= 1
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

    inspector = browser.new_page(locale="zh-CN")
    login(inspector, base, "inspector")
    inspector.goto(base + "/cases/" + number.lower())
    content = inspector.content()
    assert "110101********4514" in content and "110101199003074514" not in content
    assert "139****5678" in content


def test_search_filter_and_similar_cases_in_the_browser(
    functional_portal, staff_users, browser
):
    """The inspector searches, narrows by a facet and opens a hit; the
    registrar sees a similar earlier case while typing a new one."""
    from plone import api
    from tests.helpers.cases import case_data

    import transaction

    with api.env.adopt_roles(["Manager"]):
        for category, summary in (
            ("land", "东村村民反映宅基地拆迁补偿款至今未发放到位。"),
            ("land", "西村村民反映拆迁补偿标准偏低。"),
            ("welfare", "反映低保资格被取消后拆迁补偿也未落实。"),
        ):
            api.content.create(
                container=functional_portal["cases"],
                type="PetitionCase",
                **case_data(category=category, summary=summary, title=summary[:12]),
            )
    transaction.commit()
    base = functional_portal.absolute_url()
    page = browser.new_page(locale="zh-CN")
    login(page, base, "inspector")

    page.goto(base + "/@@archive-search")
    page.fill("#xf-q", "拆迁补偿")
    page.click("#xf-search-submit")
    page.wait_for_selector("#xf-result-count")
    assert page.inner_text("#xf-result-count").strip().startswith("共 3")
    assert page.locator(".xf-snippet mark").first.inner_text() == "拆迁补偿"
    page.click("#xf-facet-category a[data-value='welfare']")
    page.wait_for_load_state()
    assert page.inner_text("#xf-result-count").strip().startswith("共 1")
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    page.click(".xf-hit-link")
    page.wait_for_load_state()
    assert "低保资格" in page.content()

    page = browser.new_page(locale="zh-CN")
    login(page, base, "registrar")
    page.goto(base + "/cases/++add++PetitionCase")
    page.fill("#form-widgets-summary", "东村村民又来反映宅基地拆迁补偿款没有发放。")
    assert "xf-similar-box" in page.content()
    page.wait_for_selector("#xf-similar li", timeout=10000)
    assert "东村村民反映宅基" in page.inner_text("#xf-similar")


def test_organizer_publishes_minutes_and_the_public_reads_them(
    functional_portal, staff_users, browser
):
    """The organizer reviews the masks side by side, unticks one, publishes;
    an anonymous visitor opens the board and the minutes, masked."""
    from plone import api
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from tests.helpers.archival import do
    from tests.helpers.cases import case_data
    from tests.helpers.hearings import add_transcript
    from tests.helpers.hearings import approve
    from tests.helpers.hearings import make_hearing
    from tests.helpers.hearings import PETITIONER
    from tests.helpers.hearings import petitioner_row

    import transaction

    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = api.content.create(
        container=functional_portal["cases"],
        type="PetitionCase",
        **case_data(petitioners=[petitioner_row()]),
    )
    hearing = make_hearing(functional_portal, [case])
    do(hearing, "hold")
    transcript = add_transcript(hearing)
    approve(transcript)
    transaction.commit()

    base = functional_portal.absolute_url()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(locale="zh-CN")
    login(page, base, "organizer")
    page.goto(transcript.absolute_url() + "/@@mask-preview")
    assert page.locator(".xf-mask-masked").first.is_visible()
    assert "王某" in page.inner_text(".xf-mask-sections")
    page.uncheck("input[name='apply:list'][value='plate:浙A12345']")
    page.screenshot(path=str(SCREENSHOTS / "mask-preview.png"), full_page=True)
    page.click("button[name='form.publish']")
    page.wait_for_load_state()
    notice_url = page.url
    assert notice_url.startswith(base + "/hearing-notices/")

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(base + "/hearing-notices")
    visitor.click(f"a[href='{notice_url}']")
    visitor.wait_for_load_state()
    text = visitor.inner_text("#content")
    assert "王某" in text and "浙A12345" in text
    assert (
        PETITIONER not in visitor.content() and "13912345678" not in visitor.content()
    )
    visitor.screenshot(path=str(SCREENSHOTS / "minutes.png"), full_page=True)
    visitor.goto(transcript.absolute_url())
    assert "/login" in visitor.url or "require_login" in visitor.url
