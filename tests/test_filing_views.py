"""The filing pages: the check shown, filing by POST, batch filing with refusals."""

from plone import api
from plone.protect.authenticator import createToken
from tests.helpers.archival import add_document
from tests.helpers.archival import as_archivist
from tests.helpers.archival import close_case
from tests.helpers.views import render

import pytest


def post(request, **form):
    request.method = "POST"
    request.form.update(
        {"form.submitted": "1", "_authenticator": createToken(), **form}
    )
    return request


@pytest.fixture()
def closed(make_case):
    def make(**overrides):
        case = make_case(**overrides)
        add_document(case)
        return close_case(case)

    return make


def test_case_page_offers_filing_to_archivists_only(closed, portal, request_):
    case = closed()
    assert "xf-transition-file" not in render("case-view", case, request_)
    as_archivist(portal)
    html = render("case-view", case, request_)
    assert 'id="xf-transition-file"' in html and "@@file-case" in html


def test_file_case_page_shows_the_check_and_files_on_post(closed, portal, request_):
    case = closed()
    as_archivist(portal)
    html = render("file-case", case, request_)
    assert "真实性、完整性、可用性和安全性" in html
    assert "X001-XF·" in html and "-D30-JSJ-0001" in html
    assert 'id="xf-file"' in html
    post(request_)
    render("file-case", case, request_)
    assert api.content.get_state(case) == "filed"
    assert request_.response.getHeader("Location") == case.absolute_url()


def test_file_case_page_lists_problems_and_offers_no_button(closed, portal, request_):
    case = closed()
    add_document(case, title="损坏件", data=b"%PDF-1.4 broken", filename="broken.pdf")
    as_archivist(portal)
    html = render("file-case", case, request_)
    assert "可用性" in html and "损坏件" in html and "文件无法打开" in html
    assert 'id="xf-file"' not in html


def test_batch_filing_files_what_passes_and_reports_the_rest(closed, portal, request_):
    good = [closed() for _ in range(2)]
    bad = closed()
    add_document(
        bad,
        title="空文件",
        data=b"",
        filename="empty.txt",
        content_type="text/plain",
        pages=1,
    )
    other_unit = closed()
    other_unit.responsible_unit = "MZJ"
    other_unit.reindexObject()
    as_archivist(portal)
    request_.form.update({"unit": "JSJ"})
    html = render("batch-filing", portal["cases"], request_)
    assert all(case.registration_number in html for case in [*good, bad])
    assert other_unit.registration_number not in html
    post(request_, uids=[c.UID() for c in [*good, bad]], unit="JSJ")
    html = render("batch-filing", portal["cases"], request_)
    assert [api.content.get_state(c) for c in good] == ["filed", "filed"]
    assert api.content.get_state(bad) == "closed"
    assert "空文件" in html and "文件为空" in html
    assert good[0].archival_code in html


@pytest.fixture()
def committed_closed(functional_portal, staff_users):
    """A committed closed case (functional layer, for HTTP)."""
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from plone.dexterity.utils import createContentInContainer
    from tests.helpers.cases import case_data

    import transaction

    def make(broken=False):
        setRoles(functional_portal, TEST_USER_ID, ["Manager"])
        case = createContentInContainer(
            functional_portal["cases"], "PetitionCase", **case_data()
        )
        add_document(case)
        if broken:
            add_document(
                case, title="损坏件", data=b"%PDF-1.4 broken", filename="broken.pdf"
            )
        close_case(case)
        transaction.commit()
        return case

    return make


def test_rest_filing_refuses_with_the_problems_then_files(
    committed_closed, session_for, functional_portal
):
    broken = committed_closed(broken=True)
    good = committed_closed()
    archivist = session_for("archivist")
    response = archivist.post(f"{broken.absolute_url()}/@workflow/file")
    assert response.status_code == 400
    problems = response.json()["error"]["problems"]
    assert any(
        p.startswith("可用性：损坏件") and "文件无法打开" in p for p in problems
    ), problems
    response = archivist.post(f"{good.absolute_url()}/@workflow/file")
    assert response.status_code == 200, response.text
    data = archivist.get(good.absolute_url()).json()
    assert data["review_state"] == "filed"
    assert data["archival"]["archival_code"].endswith("-D30-JSJ-0001")
    assert data["archival"]["files"][0]["sha256"]
    assert archivist.get(broken.absolute_url()).json()["archival"] is None
    # Registrars may not file
    assert (
        session_for("registrar")
        .post(f"{committed_closed().absolute_url()}/@workflow/file")
        .status_code
        == 400
    )


def test_amend_form_records_an_amendment_with_its_reason(closed, portal, request_):
    from tests.helpers.archival import as_manager
    from tests.helpers.archival import do

    case = closed()
    as_archivist(portal)
    do(case, "file")
    doc = next(d for d in case.objectValues() if d.portal_type == "CaseDocument")
    html = render("amend", doc, request_)
    assert "form.widgets.title" in html and "amendment_reason" in html
    post(
        request_,
        **{
            "form.widgets.title": "调查报告（更正稿）",
            "form.widgets.responsible": doc.responsible,
            "form.widgets.document_date": doc.document_date.isoformat(),
            "form.widgets.classification": [doc.classification],
            "form.widgets.classification-empty-marker": "1",
            "form.widgets.pages": str(doc.pages),
            "form.widgets.file.action": "nochange",
            "form.widgets.accusation-empty-marker": "1",
            "form.widgets.document_kind-empty-marker": "1",
            "form.widgets.IAmendment.amendment_reason": "题名有误",
            "form.buttons.save": "保存",
        },
    )
    view = api.content.get_view(name="amend", context=doc, request=request_)
    view()
    errors = [
        (w.__name__, w.error.message if hasattr(w.error, "message") else str(w.error))
        for w in view.form_instance.widgets.values()
        if w.error
    ]
    assert doc.title == "调查报告（更正稿）", (view.form_instance.status, errors)
    assert case.amendments[-1]["reason"] == "题名有误"
    assert [c["field"] for c in case.amendments[-1]["changes"]] == ["title"]
    as_manager(portal)
    request_.form.clear()
    request_.method = "GET"
    html = render("case-view", case, request_)
    assert "题名有误" in html and 'id="xf-archival-code"' in html


def test_archival_block_hides_accusation_files_from_those_who_may_not_see_them(
    closed, portal, request_, staff
):
    from plone.app.testing import login
    from tests.helpers.archival import do

    case = closed(category="discipline")
    add_document(case, title="举报材料", filename="accusation.pdf", accusation=True)
    as_archivist(portal)
    do(case, "file")
    login(portal, "archivist")
    assert "accusation.pdf" in render("case-view", case, request_)
    login(portal, "handler")
    html = render("case-view", case, request_)
    assert 'id="xf-archival-code"' in html and "report.pdf" in html
    assert "accusation.pdf" not in html


def test_amend_form_offers_no_personal_data_to_an_archivist(closed, portal, request_):
    """The archivist amends filed cases but may not see personal data: the
    fields that hold it are not on the form (they would show unmasked)."""
    from tests.helpers.archival import do
    from tests.helpers.cases import VALID_ID

    case = closed()
    case.summary = "信访人电话13812345678，要求补偿。"
    as_archivist(portal)
    do(case, "file")
    html = render("amend", case, request_)
    assert "form.widgets.title" in html and "amendment_reason" in html
    for raw in (
        VALID_ID,
        "13812345678",
        "文三路",
        "form.widgets.summary",
        "form.widgets.petitioners",
    ):
        assert raw not in html, raw
