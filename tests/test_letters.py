"""The statutory reply letters (告知书 / 意见书) as PDF, read back with pdfminer."""

from dataclasses import replace
from datetime import date
from io import BytesIO
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
from tests.helpers.pdf import assert_fonts_embedded
from tests.helpers.pdf import page_sizes
from tests.helpers.pdf import pages_of
from tests.helpers.pdf import pdf_text
from tests.helpers.pdf import squeeze
from xinfang_archive.documents.letters import chinese_date
from xinfang_archive.documents.letters import default_rights
from xinfang_archive.documents.letters import Letter
from xinfang_archive.documents.letters import LETTER_KINDS
from xinfang_archive.documents.letters import OUTCOME_LABELS
from xinfang_archive.documents.letters import render_letter

import pytest


A4_PORTRAIT = (595, 842)
MM = 72 / 25.4
UNIT = "某某市信访局"
NUMBER = "某信复〔2024〕7号"
ADDRESSEE = "张某某："
DAY = date(2024, 5, 6)
BODY = [
    "你于2024年3月15日通过来信方式反映的“某某村征地补偿款至今未发放到位，要求尽快发放”的信访事项，本机关已依法受理。",
    "经调查核实：征地补偿款共计人民币4,800,000元已于2023年9月拨付至某某乡财政所，因分配方案存在争议，部分补偿款至今未发放到农户。",
]
OUTCOMES = {
    "handling_opinion": "支持",
    "review_opinion": "解释说明",
    "rereview_opinion": "不予支持",
}
# What the rights paragraph of each kind must say, deadlines included.
RIGHTS = {
    "acceptance_notice": ("自受理之日起60日内办结", "不得超过30日", "查询"),
    "rejection_notice": ("依法有权处理的机关", "诉讼、仲裁、行政复议等法定途径"),
    "extension_notice": ("查询信访事项的办理进展情况",),
    "handling_opinion": (
        "如对本处理意见不服，可自收到本意见书之日起30日内向上一级行政机关请求复查",
    ),
    "review_opinion": (
        "如对本复查意见不服，可自收到本意见书之日起30日内向复查机关的上一级行政机关请求复核",
    ),
    "rereview_opinion": (
        "复核意见为终结意见",
        "仍以同一事实和理由提出信访请求的，不再受理",
    ),
}


def make_letter(kind, **changes):
    letter = Letter(
        kind=kind,
        document_number=NUMBER,
        addressee=ADDRESSEE,
        issuing_unit=UNIT,
        date=DAY,
        body=list(BODY),
        outcome=OUTCOMES.get(kind),
        rights=default_rights(kind),
    )
    return replace(letter, **changes)


def page_texts(pdf):
    return [pdf_text(pdf, number) for number in range(len(pages_of(pdf)))]


# -- every kind --------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_each_kind_renders_a_complete_letter(kind):
    pdf = render_letter(make_letter(kind))
    assert page_sizes(pdf) == [A4_PORTRAIT]
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    title = LETTER_KINDS[kind]
    for value in (
        title,
        NUMBER,
        ADDRESSEE,
        UNIT,
        "2024年5月6日",
        "（印章）",
        *(squeeze(paragraph) for paragraph in BODY),
        *RIGHTS[kind],
    ):
        assert value in text, value
    # The parts come in the order of an official letter.
    order = [
        text.index(value)
        for value in (UNIT, title, NUMBER, ADDRESSEE, squeeze(BODY[0]))
    ]
    assert order == sorted(order)
    assert text.rindex(UNIT) > text.index(RIGHTS[kind][0])
    if kind in OUTCOME_LABELS:
        assert f"{OUTCOME_LABELS[kind]}：{OUTCOMES[kind]}。" in text
    assert "-1-" not in text  # no page number on a one-page letter


@pytest.mark.parametrize("kind", sorted(LETTER_KINDS))
def test_pdf_title_is_letter_title_and_document_number(kind):
    info = pages_of(render_letter(make_letter(kind)))[0].pdf.metadata
    assert info.title == f"{LETTER_KINDS[kind]} {NUMBER}"
    assert info.author == UNIT


def test_chinese_date_has_no_leading_zeros():
    assert chinese_date(date(2024, 5, 6)) == "2024年5月6日"
    assert chinese_date(date(2024, 12, 31)) == "2024年12月31日"


# -- rights and their deadlines ---------------------------------------------


def test_rights_take_the_bureau_day_counts_and_authorities():
    assert (
        "自受理之日起45日内办结"
        in default_rights("acceptance_notice", handle_days=45, max_extension_days=20)[0]
    )
    assert (
        "不得超过20日"
        in default_rights("acceptance_notice", handle_days=45, max_extension_days=20)[0]
    )
    handling = default_rights(
        "handling_opinion", review_request_days=25, review_authority="某某市人民政府"
    )
    assert handling == [
        "如对本处理意见不服，可自收到本意见书之日起25日内向某某市人民政府请求复查。"
    ]
    review = default_rights(
        "review_opinion", rereview_request_days=20, rereview_authority="某某省人民政府"
    )
    assert review == [
        "如对本复查意见不服，可自收到本意见书之日起20日内向某某省人民政府请求复核。"
    ]
    # The authority of the other step does not leak in.
    assert (
        "某某省"
        not in default_rights("handling_opinion", rereview_authority="某某省人民政府")[
            0
        ]
    )


def test_the_letter_states_the_rights_it_is_given():
    rights = default_rights(
        "handling_opinion", review_request_days=25, review_authority="某某市人民政府"
    )
    text = pdf_text(render_letter(make_letter("handling_opinion", rights=rights)))
    assert "可自收到本意见书之日起25日内向某某市人民政府请求复查" in text
    assert "30日" not in text


@pytest.mark.parametrize("days", [0, -30, "30", None])
def test_day_counts_must_be_positive_integers(days):
    with pytest.raises(ValueError, match="期限天数"):
        default_rights("handling_opinion", review_request_days=days)


# -- small print, 抄送, text as given ---------------------------------------


def test_registration_number_and_copy_note():
    letter = make_letter(
        "handling_opinion",
        registration_number="XF2024-000123",
        cc="某某县人民政府，某某乡人民政府",
    )
    text = pdf_text(render_letter(letter))
    assert "信访件编号：XF2024-000123" in text
    assert "抄送：某某县人民政府，某某乡人民政府。" in text
    assert text.index("抄送") > text.rindex("2024年5月6日")


def test_body_is_plain_text_not_markup():
    body = [
        "补偿标准<b>不低于</b>每亩3&5万元",
        "  \u3000\u3000已有缩进的段落\n另起一段",
        "   ",
    ]
    text = pdf_text(render_letter(make_letter("acceptance_notice", body=body)))
    assert "补偿标准<b>不低于</b>每亩3&5万元" in text
    assert "已有缩进的段落另起一段" in text


def test_text_stays_inside_the_type_area():
    letter = make_letter(
        "review_opinion",
        issuing_unit="某某省某某市某某区人民政府信访局",
        date=date(2024, 12, 31),
    )
    pdf = render_letter(letter)
    page = next(extract_pages(BytesIO(pdf)))
    boxes = [box for box in page if isinstance(box, LTTextContainer)]
    assert boxes
    assert all(
        box.x0 >= 28 * MM - 1 and box.x1 <= page.width - 26 * MM + 1 for box in boxes
    )
    # The signature and the date stay at the bottom right.
    dates = [box for box in boxes if "2024年12月31日" in squeeze(box.get_text())]
    assert dates and dates[0].x0 > page.width / 2


# -- long letters -------------------------------------------------------------


def test_a_long_body_flows_onto_numbered_pages():
    body = [f"第{number}段：" + BODY[1] for number in range(1, 41)]
    pdf = render_letter(make_letter("handling_opinion", body=body))
    texts = page_texts(pdf)
    assert len(texts) > 2
    assert page_sizes(pdf) == [A4_PORTRAIT] * len(texts)
    assert_fonts_embedded(pdf)
    for number, text in enumerate(texts, start=1):
        assert f"-{number}-" in text
    whole = "".join(texts)
    assert all(f"第{number}段：" in whole for number in range(1, 41))
    assert "第1段" in texts[0] and NUMBER in texts[0]
    last = texts[-1]
    assert UNIT in last and "2024年5月6日" in last and "（印章）" in last
    # The seal never stands on a page of its own: text of the letter goes with it.
    assert "请求复查" in last


def test_the_last_paragraph_splits_rather_than_leave_the_seal_alone():
    # Long enough that the letter needs a second page for the signature.
    rights = [
        "如对本处理意见不服，可自收到本意见书之日起30日内向某某市人民政府请求复查。" * 5
    ]
    body = [BODY[1]] * 4
    texts = page_texts(
        render_letter(make_letter("handling_opinion", body=body, rights=rights))
    )
    assert len(texts) == 2
    assert "如对本处理意见不服" in texts[0]  # its first lines stay on page 1
    assert "请求复查。" in texts[1] and UNIT in texts[1]


# -- validation ---------------------------------------------------------------


def test_unknown_kind():
    with pytest.raises(ValueError, match="未知的文书种类"):
        render_letter(replace(make_letter("handling_opinion"), kind="reply"))
    with pytest.raises(ValueError, match="未知的文书种类"):
        default_rights("reply")


@pytest.mark.parametrize("kind", sorted(OUTCOME_LABELS))
@pytest.mark.parametrize("outcome", [None, "", "  "])
def test_opinions_need_an_outcome(kind, outcome):
    with pytest.raises(ValueError, match="须载明处理结果"):
        render_letter(make_letter(kind, outcome=outcome))


@pytest.mark.parametrize("kind", sorted(set(LETTER_KINDS) - set(OUTCOME_LABELS)))
def test_notices_carry_no_outcome(kind):
    with pytest.raises(ValueError, match="不载处理结果"):
        render_letter(make_letter(kind, outcome="支持"))


@pytest.mark.parametrize("number", ["", "   ", None])
def test_document_number_is_required(number):
    with pytest.raises(ValueError, match="缺少文号"):
        render_letter(make_letter("acceptance_notice", document_number=number))


@pytest.mark.parametrize(
    "field, message",
    [
        ("issuing_unit", "缺少发文机关"),
        ("addressee", "缺少主送对象"),
        ("date", "缺少成文日期"),
    ],
)
def test_unit_addressee_and_date_are_required(field, message):
    with pytest.raises(ValueError, match=message):
        render_letter(make_letter("acceptance_notice", **{field: None}))
