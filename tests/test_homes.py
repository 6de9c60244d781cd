"""The front page is a home for who logs in: one section per role of
petition work, each block a short list with its count and its full list."""

from datetime import timedelta
from plone.app.testing import login
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from tests.helpers.archival import add_reply
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.hearings import add_transcript
from tests.helpers.hearings import make_hearing
from tests.helpers.views import render
from xinfang_archive.localtime import local_today

import lxml.html
import pytest


TODAY = local_today()
SECTIONS = ("registrar", "handler", "organizer", "archivist", "inspector")


def home(portal, request):
    return lxml.html.fromstring(render("xf-home", portal, request))


def sections(page):
    return [
        s.get("id").removeprefix("xf-home-")
        for s in page.cssselect("section.xf-home-section")
    ]


def block(page, block_id):
    [found] = page.cssselect(f"#{block_id}")
    return found


def titles(found):
    return [a.text_content() for a in found.cssselect("li a")]


def count(found):
    [badge] = found.cssselect(".xf-block-count")
    return int(badge.text_content())


@pytest.fixture()
def as_user(portal, staff):
    def switch(user_id):
        setRoles(portal, TEST_USER_ID, ["Member"])
        login(portal, user_id)

    return switch


def test_the_front_page_is_the_role_homes(portal):
    assert portal.getLayout() == "xf-home"
    assert portal.getDefaultPage() is None


def test_anonymous_visitors_see_the_public_services(portal, request_):
    logout()
    page = home(portal, request_)
    assert sections(page) == ["public"]
    query = block(page, "xf-home-result-query")
    assert query.cssselect("a")[0].get("href").endswith("/@@result-query")
    assert "查询码" in query.text_content()  # in Chinese
    assert block(page, "xf-home-notices") is not None
    assert block(page, "xf-home-receptions") is not None


def test_the_registrar_sees_intake_and_cases_to_accept(
    make_case, as_user, portal, request_
):
    today = make_case(title="今日登记的来信", received_date=TODAY)
    older = make_case(title="上月登记的来信", received_date=TODAY - timedelta(days=30))
    accepted = make_case(title="已受理的来信", received_date=TODAY)
    do(accepted, "accept")
    as_user("registrar")
    page = home(portal, request_)
    assert sections(page) == ["registrar"]
    intake = block(page, "xf-home-intake")
    assert count(intake) == 2
    assert any(today.title in t for t in titles(intake))
    assert (
        intake.cssselect("a.btn")[0].get("href").endswith("/cases/++add++PetitionCase")
    )
    waiting = block(page, "xf-home-to-accept")
    assert count(waiting) == 2
    # the acceptance deadline first: the month-old case is overdue, in red
    first = waiting.cssselect("li")[0]
    assert older.title in first.text_content() and "xf-alert-row" in first.get("class")
    assert "期限" in first.text_content() and "年" in first.text_content()
    assert "state=registered" in waiting.cssselect("a.xf-more")[0].get("href")


def test_a_unit_handler_sees_the_units_cases_only(make_case, as_user, portal, request_):
    close_case(make_case(title="住建局已办结的事项"), unit="JSJ")
    mine = make_case(title="住建局在办的事项")
    do(mine, "accept")
    mine.responsible_unit = "JSJ"
    do(mine, "assign")
    other = make_case(title="其他单位在办的事项")
    do(other, "accept")
    other.responsible_unit = "CGZ"
    do(other, "assign")
    as_user("handler")
    page = home(portal, request_)
    assert sections(page) == ["handler"]
    cases = block(page, "xf-home-unit-cases")
    listed = " ".join(titles(cases))
    assert mine.title in listed and other.title not in listed
    assert "已办结" not in listed
    assert count(cases) == 1


def test_the_organizer_sees_hearings_ahead_and_transcripts_to_review(
    make_case, as_user, portal, request_
):
    case = make_case()
    ahead = make_hearing(
        portal, [case], hearing_date=TODAY + timedelta(days=3), title="下周的听证"
    )
    make_hearing(
        portal, [case], hearing_date=TODAY - timedelta(days=3), title="上周的听证"
    )
    transcript = add_transcript(ahead)
    do(transcript, "submit")
    as_user("organizer")
    page = home(portal, request_)
    assert sections(page) == ["organizer"]
    hearings = block(page, "xf-home-hearings")
    assert titles(hearings) == ["下周的听证"]
    day = TODAY + timedelta(days=3)
    assert f"{day.year}年{day.month}月{day.day}日" in hearings.text_content()
    transcripts = block(page, "xf-home-transcripts")
    assert count(transcripts) == 1
    assert "待审" in transcripts.text_content() or "提交" in transcripts.text_content()


def test_the_archivist_sees_cases_to_file_and_the_fixity_status(
    make_case, as_user, portal, request_
):
    closed = close_case(make_case(title="已办结待归档"))
    as_user("archivist")
    page = home(portal, request_)
    assert sections(page) == ["archivist"]
    to_file = block(page, "xf-home-to-file")
    assert count(to_file) == 1 and closed.title in " ".join(titles(to_file))
    assert (
        to_file.cssselect("a.xf-more")[0].get("href").endswith("/cases/@@batch-filing")
    )
    fixity = block(page, "xf-home-fixity")
    assert "尚未" in fixity.text_content() and "border-danger" in fixity.get("class")
    for waiting in ("xf-home-appraisal-due", "xf-home-appraisals", "xf-home-holds"):
        assert count(block(page, waiting)) == 0


def test_the_inspector_sees_search_decisions_and_overdue_units(
    make_case, as_user, portal, request_
):
    late = make_case(title="逾期未办结", received_date=TODAY - timedelta(days=200))
    do(late, "accept")
    late.responsible_unit = "JSJ"
    do(late, "assign")
    late.accepted_on = TODAY - timedelta(days=190)  # handling time ran out
    late.reindexObject()
    replied = make_case()
    do(replied, "accept")
    replied.responsible_unit = "JSJ"
    do(replied, "assign")
    add_reply(replied, "handling_opinion")
    as_user("inspector")
    page = home(portal, request_)
    assert sections(page) == ["inspector"]
    search = block(page, "xf-home-search")
    assert search.cssselect("form")[0].get("action").endswith("/@@archive-search")
    assert count(block(page, "xf-home-decisions")) == 1
    units = block(page, "xf-home-overdue-units")
    assert count(units) == 1 and "逾期 1 件" in units.text_content()


def test_a_manager_has_every_home(manager, request_):
    assert sections(home(manager, request_)) == list(SECTIONS)


def test_upgrade_1016_makes_the_homes_the_front_page(manager, make_case):
    hearing = make_hearing(
        manager, [make_case()], hearing_date=TODAY + timedelta(days=9)
    )
    catalog = manager.portal_catalog
    catalog.uncatalog_object("/".join(hearing.getPhysicalPath()))
    catalog.catalog_object(hearing, idxs=["portal_type", "review_state", "path"])
    manager.setLayout("document_view")
    setup = manager.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1015")
    setup.upgradeProfile("xinfang_archive:default")
    assert manager.getLayout() == "xf-home"
    [brain] = catalog.unrestrictedSearchResults(portal_type="Hearing")
    assert brain.start is not None
