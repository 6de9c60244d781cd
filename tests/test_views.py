"""The case page, the transition form, the dashboard and the version history."""

from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.protect.authenticator import createToken
from tests.helpers.views import render
from xinfang_archive.localtime import local_today
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import pytest


TODAY = local_today()


def test_case_page_masks_personal_data_for_inspector(
    portal, make_case, staff, request_
):
    case = make_case()
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "inspector")
    html = render("case-view", case, request_)
    assert case.registration_number in html
    assert "110101********4514" in html
    assert "110101199003074514" not in html
    assert "138****5678" in html
    login(portal, "registrar")
    assert "110101199003074514" in render("case-view", case, request_)


def test_case_page_explains_blocked_transitions(portal, make_case, staff, request_):
    case = make_case()
    login(portal, "registrar")
    html = render("case-view", case, request_)
    assert 'id="xf-transition-accept"' in html
    assert "不予受理告知书" in html  # why "reject" is not possible yet
    login(portal, "inspector")
    assert "xf-transition-accept" not in render("case-view", case, request_)


def test_case_page_offers_earlier_cases_for_linking(make_case, request_):
    earlier = make_case(received_date=TODAY - timedelta(days=200))
    case = make_case()
    html = render("case-view", case, request_)
    assert "xf-earlier" in html and earlier.registration_number in html
    request_.method = "POST"
    request_.form.update({"uids": [earlier.UID()], "_authenticator": createToken()})
    render("link-earlier-cases", case, request_)
    assert [r.to_object for r in case.related_cases] == [earlier]
    assert "repeat" in case.flags


def in_progress(case):
    api.content.transition(obj=case, transition="accept")
    case.responsible_unit = "JSJ"
    api.content.transition(obj=case, transition="assign")
    return case


def post_transition(case, request, transition, **fields):
    """Submit the transition form as a browser would (with its CSRF token)."""
    request.method = "POST"
    request.form.update(
        {
            "transition": transition,
            "form.submitted": "1",
            "_authenticator": createToken(),
            **fields,
        }
    )
    return render("case-transition", case, request)


EXTENSION = {"extension_reason": "补充调查", "extension_approved_by": "王局长"}


def test_transition_form_refuses_and_changes_nothing(make_case, request_):
    import transaction

    case = in_progress(make_case())
    html = post_transition(case, request_, "extend", extension_days="40", **EXTENSION)
    assert "xf-errors" in html and "30" in html
    assert api.content.get_state(case) == "in_progress"
    assert transaction.get().isDoomed()


def test_transition_form_extends(make_case, request_):
    case = in_progress(make_case())
    post_transition(case, request_, "extend", extension_days="15", **EXTENSION)
    assert case.extended_on == TODAY and case.extension_days == 15


def test_dashboard_counts_and_flags_overdue(make_case, request_, cases):
    overdue = make_case(
        received_date=TODAY - timedelta(days=20), title="逾期未受理的信访件"
    )
    soon = make_case(
        received_date=TODAY - timedelta(days=10), title="即将到期的信访件", grade="key"
    )
    later = make_case(received_date=TODAY, title="刚登记的信访件")
    view = api.content.get_view(name="case-dashboard", context=cases, request=request_)
    view.today = TODAY
    html = view()
    counts = view.counts()
    assert counts == {"open": 3, "overdue": 1, "due_soon": 1}
    assert [r["number"] for r in view.overdue()] == [overdue.registration_number]
    assert [r["number"] for r in view.due_soon()] == [soon.registration_number]
    assert later.registration_number in html
    assert "xf-overdue-row" in html
    units = view.by_unit()
    assert units[0]["code"] == "" and units[0]["open"] == 3 and units[0]["overdue"] == 1
    grades = {r["code"]: r for r in view.by_grade()}
    assert grades["key"]["open"] == 1 and grades["ordinary"]["overdue"] == 1


def test_dashboard_lists_open_supervisions(make_case, request_, cases):
    case = make_case()
    api.content.create(
        container=case,
        type="Supervision",
        id="s1",
        method="phone",
        issued_by="督查室",
        issued_on=TODAY - timedelta(days=10),
        due_date=TODAY - timedelta(days=1),
    )
    done = api.content.create(
        container=case,
        type="Supervision",
        id="s2",
        method="letter",
        issued_by="督查室",
        issued_on=TODAY,
        due_date=TODAY + timedelta(days=5),
        done=True,
    )
    view = api.content.get_view(name="case-dashboard", context=cases, request=request_)
    view()
    rows = view.supervisions()
    assert len(rows) == 1 and rows[0]["overdue"]
    assert done.absolute_url() not in [r["url"] for r in rows]


def test_a_supervision_is_due_only_while_its_case_is_open(
    manager, make_case, request_, cases
):
    """Closing the case takes its supervision off what is due (the dashboard's
    list and the unit handler's home use the same index); upgrade 1017 mends
    a site whose cases were closed before."""
    from tests.helpers.archival import close_case

    def supervise(case):
        return api.content.create(
            container=case,
            type="Supervision",
            id=f"s{len(case.objectIds())}",
            method="phone",
            issued_by="督查室",
            issued_on=TODAY - timedelta(days=10),
            due_date=TODAY - timedelta(days=1),
        )

    def due():
        view = api.content.get_view(
            name="case-dashboard", context=cases, request=request_
        )
        view()
        return [row["url"] for row in view.supervisions()]

    case = make_case()
    supervision = supervise(case)
    assert supervision.absolute_url() in due()
    close_case(case)
    assert api.content.get_state(case) == "closed"
    assert supervision.absolute_url() not in due()

    # closed before 1017: the case's state changed, its supervision not reindexed
    older = make_case(title="升级前办结的信访件")
    stale = supervise(older)
    assert stale.absolute_url() in due()
    workflow = manager.portal_workflow
    chain = workflow.getChainFor(older)[0]
    status = dict(workflow.getStatusOf(chain, older), review_state="closed")
    workflow.setStatusOf(chain, older, status)
    older.reindexObject(idxs=["review_state"])
    assert stale.absolute_url() in due()
    setup = manager.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1016")
    setup.upgradeProfile("xinfang_archive:default")
    assert stale.absolute_url() not in due()


def test_history_shows_changes_and_reverts(make_case, request_):
    case = make_case(summary="原始事由")
    case.summary = "修改后的事由"
    notify(ObjectModifiedEvent(case))
    html = render("record-history", case, request_)
    assert "原始事由" in html and "修改后的事由" in html
    assert TEST_USER_ID in html
    request_.method = "POST"
    request_.form.update({"revert": "0", "_authenticator": createToken()})
    render("record-history", case, request_)
    assert case.summary == "原始事由"
    assert (
        api.portal.get_tool("portal_repository")
        .getHistoryMetadata(case)
        .getLength(countPurged=False)
        == 3
    )


def test_history_masks_personal_data(portal, make_case, staff, request_):
    case = make_case()
    case.petitioners = [dict(case.petitioners[0], phone="13900001111")]
    case.summary = "信访人来电0571-8765-4321，身份证110101 1990 0307 4514，住浙江省杭州市西湖区文三路100号。"
    notify(ObjectModifiedEvent(case))
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "inspector")
    html = render("record-history", case, request_)
    assert "139****1111" in html and "13900001111" not in html
    for raw in (
        "8765-4321",
        "0307 4514",
        "文三路",
    ):  # typed into the summary: masked in the changes
        assert raw not in html
    assert "Revert" not in html and "还原" not in html


def test_assign_names_unit_and_handler_and_my_cases_follow(
    portal, make_case, staff, request_, cases
):
    case = make_case(received_date=TODAY - timedelta(days=2))
    api.content.transition(obj=case, transition="accept")
    post_transition(
        case, request_, "assign", responsible_unit="JSJ", case_handler="handler"
    )
    assert api.content.get_state(case) == "in_progress"
    assert (case.responsible_unit, case.case_handler) == ("JSJ", "handler")
    request_.form.clear()
    request_.method = "GET"
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "handler")
    view = api.content.get_view(name="case-dashboard", context=cases, request=request_)
    view()
    assert [r["number"] for r in view.my_cases()] == [case.registration_number]
    login(portal, "inspector")
    view = api.content.get_view(name="case-dashboard", context=cases, request=request_)
    view()
    assert view.my_cases() == []


def test_assign_refuses_unknown_handler(make_case, request_):
    case = make_case()
    api.content.transition(obj=case, transition="accept")
    html = post_transition(
        case, request_, "assign", responsible_unit="JSJ", case_handler="nobody"
    )
    assert "xf-errors" in html and "nobody" in html
    assert api.content.get_state(case) == "accepted"


@pytest.mark.parametrize(
    "name",
    ["history", "version-view", "record-history", "view", "content-core", "case-view"],
)
def test_no_version_view_shows_personal_data_unmasked(
    portal, make_case, staff, request_, name
):
    """Plone's own version views (CMFEditions diff, @@version-view) are
    replaced for cases by the masked history."""
    case = make_case()
    case.petitioners = [dict(case.petitioners[0], phone="13900001111")]
    notify(ObjectModifiedEvent(case))
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "inspector")
    request_.form.update({"one": "1", "two": "0", "version_id": "0"})
    html = render(name, case, request_)
    assert len(html) > 200  # a real page, not an empty answer
    for raw in ("110101199003074514", "13900001111", "13812345678", "文三路"):
        assert raw not in html, (name, raw)
    assert "139****1111" in html


def test_icon_tags_are_made_once_per_process(portal, request_, monkeypatch):
    """The icon resolver of the archive's layer reads and rewrites an SVG
    file once; the next tags of that icon, class and title are the same
    text without touching the file.  Other classes are other tags."""
    from Products.CMFPlone.browser.icons import IconsView
    from xinfang_archive.browser import icons

    monkeypatch.setattr(icons, "_tags", {})
    resolver = portal.restrictedTraverse("@@iconresolver")
    assert isinstance(resolver, icons.CachedIconsView)
    read = []
    original = IconsView._iconfile
    monkeypatch.setattr(
        IconsView,
        "_iconfile",
        lambda self, icon: read.append(icon) or original(self, icon),
    )
    first = resolver.tag("plone-edit", tag_class="icon-inline", tag_alt="编辑")
    assert (
        first.startswith("<svg")
        and "icon-inline" in first
        and "&#32534;&#36753;" in first
    )  # 编辑
    assert resolver.tag("plone-edit", tag_class="icon-inline", tag_alt="编辑") == first
    assert len(read) == 1
    other = resolver.tag("plone-edit", tag_class="icon-toolbar")
    assert "icon-toolbar" in other and "icon-inline" not in other and len(read) == 2


def test_templates_are_compiled_one_at_a_time(portal):
    """Two threads never compile a template at once (CPython 3.11's AST
    constructor is not thread-safe): a compilation waits for the one under way."""
    from chameleon.zpt.template import PageTemplate
    from xinfang_archive.browser import compile_lock

    import threading

    cooked = threading.Event()

    def cook():
        PageTemplate("<p tal:content='python: 6 * 7'>x</p>").cook_check()
        cooked.set()

    with compile_lock._LOCK:  # a compilation under way in this thread
        other = threading.Thread(target=cook, daemon=True)
        other.start()
        assert not cooked.wait(0.5)
    assert cooked.wait(30)
    other.join()
