"""Reply letters issued from a case: content, storage as versioned Replies, form and REST."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.protect.authenticator import createToken
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from tests.helpers.pdf import assert_fonts_embedded
from tests.helpers.pdf import pdf_text
from tests.helpers.views import render
from xinfang_archive.documents.reply_letters import addressee
from xinfang_archive.documents.reply_letters import issue_reply

import pytest
import transaction


def replies(case):
    return [obj for obj in case.objectValues() if obj.portal_type == "Reply"]


def letter_text(reply):
    return pdf_text(reply.letter_file.data)


@pytest.mark.parametrize(
    "kind, title, outcome, state_path",
    [
        ("acceptance_notice", "受理告知书", None, []),
        ("rejection_notice", "不予受理告知书", None, []),
        ("extension_notice", "延期告知书", None, ["accept"]),
        ("handling_opinion", "处理意见书", "support", ["accept", "assign"]),
        ("review_opinion", "复查意见书", "explain", ["accept", "assign"]),
        ("rereview_opinion", "复核意见书", "not_supported", ["accept", "assign"]),
    ],
)
def test_each_kind_is_issued_as_a_versioned_reply(
    make_case, kind, title, outcome, state_path
):
    case = make_case()
    for transition in state_path:
        if transition == "assign":
            case.responsible_unit = "JSJ"
        do(case, transition)
    reply = issue_reply(case, kind, "城信复〔2024〕7号", outcome=outcome)
    assert reply in replies(case)
    assert (reply.kind, reply.document_number, reply.outcome) == (
        kind,
        "城信复〔2024〕7号",
        outcome,
    )
    assert reply.letter_file.contentType == "application/pdf"
    text = letter_text(reply)
    assert title in text and "城信复〔2024〕7号" in text and "张三：" in text
    assert case.registration_number in text
    assert_fonts_embedded(reply.letter_file.data)
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(reply)
    assert history.getLength(countPurged=False) == 1


def test_letter_states_rights_with_the_bureau_deadlines(make_case):
    api.portal.set_registry_record("xinfang_archive.handle_days", 45)
    api.portal.set_registry_record("xinfang_archive.review_request_days", 20)
    case = make_case()
    notice = letter_text(issue_reply(case, "acceptance_notice", "城信受〔2024〕1号"))
    assert "45日" in notice and "城西县信访局" in notice
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    opinion = letter_text(
        issue_reply(case, "handling_opinion", "城建信〔2024〕3号", outcome="support")
    )
    assert "20日内" in opinion and "复查" in opinion and "支持" in opinion
    # The handling opinion comes from the responsible unit.
    assert "住房和城乡建设局" in opinion


def test_body_given_by_the_handler_is_used(make_case):
    case = make_case()
    reply = issue_reply(
        case,
        "acceptance_notice",
        "城信受〔2024〕2号",
        body="第一段。\n\n第二段：补充说明。",
    )
    text = letter_text(reply)
    assert "第一段。" in text and "第二段：补充说明。" in text
    assert "<p>第二段：补充说明。</p>" in reply.body.raw


def test_group_visit_is_addressed_to_its_representatives(make_case):
    rows = [
        {
            "name": name,
            "id_number": None,
            "phone": None,
            "address": None,
            "representative": rep,
        }
        for name, rep in (("甲一", True), ("乙二", False), ("丙三", True))
    ]
    case = make_case(petitioners=rows, people_count=30, flags={"collective"})
    assert addressee(case) == "甲一、丙三等："


@pytest.mark.parametrize(
    "kind, number, outcome, message",
    [
        ("handling_opinion", "城信复〔2024〕7号", None, "处理结果"),
        ("acceptance_notice", "  ", None, "文号"),
        ("handling_opinion", "城信复〔2024〕7号", "maybe", "未知的处理结果"),
        ("no_such_letter", "城信复〔2024〕7号", None, ""),
    ],
)
def test_incomplete_letter_is_refused_and_nothing_is_stored(
    make_case, kind, number, outcome, message
):
    case = make_case()
    with pytest.raises(ValueError) as error:
        issue_reply(case, kind, number, outcome=outcome)
    assert message in str(error.value)
    assert replies(case) == []


def test_issue_form_prefills_and_issues(make_case, request_):
    case = make_case()
    html = render("issue-reply", case, request_)
    assert "受理告知书" in html and "经审查，符合受理条件" in html
    request_.method = "POST"
    request_.form.update(
        {
            "kind": "acceptance_notice",
            "document_number": "城信受〔2024〕9号",
            "body": "经审查，予以受理。",
            "form.issue": "1",
            "_authenticator": createToken(),
        }
    )
    render("issue-reply", case, request_)
    (reply,) = replies(case)
    assert reply.document_number == "城信受〔2024〕9号"
    assert request_.response.getHeader("Location") == reply.absolute_url()


def test_issue_form_shows_the_refusal(make_case, request_):
    case = make_case()
    do(case, "accept")
    request_.method = "POST"
    request_.form.update(
        {
            "kind": "handling_opinion",
            "document_number": "城信复〔2024〕9号",
            "form.issue": "1",
            "_authenticator": createToken(),
        }
    )
    html = render("issue-reply", case, request_)
    assert "xf-letter-error" in html and "处理结果" in html
    assert request_.response.getStatus() == 400
    assert replies(case) == []


def test_rest_reply_letter(functional_portal, session_for):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = api.content.create(
        container=functional_portal["cases"], type="PetitionCase", **case_data()
    )
    transaction.commit()
    registrar = session_for("registrar")
    url = case.absolute_url() + "/@reply-letter"
    bad = registrar.post(url, json={"kind": "acceptance_notice"})
    assert bad.status_code == 400 and "文号" in bad.json()["error"]["message"]
    made = registrar.post(
        url, json={"kind": "acceptance_notice", "document_number": "城信受〔2024〕5号"}
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (
        body["@type"] == "Reply"
        and body["letter_file"]["content-type"] == "application/pdf"
    )
    pdf = registrar.get(body["letter_file"]["download"])
    assert pdf.status_code == 200 and "受理告知书" in pdf_text(pdf.content)
    inspector = session_for("inspector")
    assert (
        inspector.post(
            url, json={"kind": "acceptance_notice", "document_number": "x"}
        ).status_code
        == 401
    )
    transaction.begin()
    assert len(replies(case)) == 1
