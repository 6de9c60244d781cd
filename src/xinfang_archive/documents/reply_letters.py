"""Statutory reply letters (告知书 / 意见书) issued from a case.

``draft_letter`` fills a letter from the case and the bureau's settings (the
addressee, issuing unit, rights and their deadlines); the case handler may
rewrite the body.  ``issue_reply`` renders it (``documents/letters.py``) and
stores it as a versioned ``Reply`` of the case, with the PDF as the reply's
letter file, in one transaction: a letter that does not validate creates
nothing.
"""

from html import escape
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile
from xinfang_archive.archival.settings import PREFIX as FILING_PREFIX
from xinfang_archive.content.reply import OPINION_KINDS
from xinfang_archive.controlpanel.settings import get_settings
from xinfang_archive.documents.letters import default_rights
from xinfang_archive.documents.letters import Letter
from xinfang_archive.documents.letters import LETTER_KINDS
from xinfang_archive.documents.letters import render_letter
from xinfang_archive.documents.letters import validate
from xinfang_archive.localtime import local_today
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.vocabularies.registry import titles
from xinfang_archive.workflow.clocks import handling_deadline


MAX_ADDRESSEES = 5


def bureau_name():
    return (
        api.portal.get_registry_record(f"{FILING_PREFIX}.fonds_name", default="")
        or "信访局"
    )


def addressee(case):
    """信访人 names: the representatives of a group visit, else everyone (at most five)."""
    rows = [row for row in case.petitioners or () if row and row.get("name")]
    chosen = [row for row in rows if row.get("representative")] or rows
    names = [row["name"].strip() for row in chosen[:MAX_ADDRESSEES]]
    suffix = (
        "等"
        if len(chosen) > MAX_ADDRESSEES or (case.people_count or 1) > len(names) > 1
        else ""
    )
    return "、".join(names) + suffix + "：" if names else "信访人："


def issuing_unit(case, kind):
    """The handling opinion comes from the responsible unit; every other
    letter from the bureau itself."""
    if kind == "handling_opinion" and case.responsible_unit:
        return title_of("units", case.responsible_unit)
    return bureau_name()


def _cn(day):
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def default_body(case, kind):
    """A first version of the body, for the handler to complete."""
    received = _cn(case.received_date)
    channel = title_of("channels", case.channel)
    matter = f"你于{received}通过{channel}反映的信访事项（信访件编号：{case.registration_number}）"
    if kind == "acceptance_notice":
        # No query code here: letters are read by staff who may not see
        # personal data and are indexed; the code goes on its own slip
        # (documents/query_slip.py).
        return [f"{matter}，经审查，符合受理条件，本机关决定予以受理。"]
    if kind == "rejection_notice":
        return [f"{matter}，经审查，不属于本机关受理范围，本机关决定不予受理。"]
    if kind == "extension_notice":
        deadline = handling_deadline(case)
        reason = (case.extension_reason or "").strip() or "情况复杂"
        days = case.extension_days or 0
        return [
            f"{matter}，因{reason}，经本机关负责人批准，办理期限延长{days}日，至{_cn(deadline)}。"
        ]
    if kind == "handling_opinion":
        return [f"{matter}，本机关已依法办理。经调查核实，现将处理意见告知如下："]
    if kind == "review_opinion":
        return [
            f"你不服原处理意见提出的复查请求（信访件编号：{case.registration_number}），本机关已依法复查。经复查，现将复查意见告知如下："
        ]
    return [
        f"你不服复查意见提出的复核请求（信访件编号：{case.registration_number}），本机关已依法复核。经复核，现将复核意见告知如下："
    ]


def draft_letter(case, kind, document_number, body=None, outcome=None, day=None):
    """The ``Letter`` of ``kind`` for ``case`` (not validated, not stored)."""
    settings = get_settings()
    rights = (
        default_rights(
            kind,
            handle_days=settings.handle_days,
            max_extension_days=settings.max_extension_days,
            review_request_days=settings.review_request_days,
            rereview_request_days=settings.rereview_request_days,
        )
        if kind in LETTER_KINDS
        else []
    )
    if isinstance(body, str):
        body = [line for line in body.splitlines() if line.strip()]
    return Letter(
        kind=kind,
        document_number=(document_number or "").strip(),
        addressee=addressee(case),
        issuing_unit=issuing_unit(case, kind),
        date=day or local_today(),
        body=list(body)
        if body
        else default_body(case, kind)
        if kind in LETTER_KINDS
        else [],
        outcome=title_of("outcomes", outcome)
        if outcome and kind in OPINION_KINDS
        else None,
        rights=rights,
        registration_number=case.registration_number or "",
    )


def issue_reply(case, kind, document_number, body=None, outcome=None, day=None):
    """Render the letter and store it as a Reply of ``case``; returns the Reply.

    Raises ``ValueError`` (a Chinese message) when the letter is incomplete;
    nothing is created then.
    """
    if outcome and outcome not in titles("outcomes"):
        raise ValueError(f"未知的处理结果：{outcome}。")
    letter = draft_letter(case, kind, document_number, body, outcome, day)
    validate(letter)
    pdf = render_letter(letter)
    html = "".join(f"<p>{escape(text)}</p>" for text in letter.body)
    filename = f"{LETTER_KINDS[kind]}-{letter.document_number}.pdf"
    return createContentInContainer(
        case,
        "Reply",
        checkConstraints=True,
        kind=kind,
        document_number=letter.document_number,
        reply_date=letter.date,
        outcome=outcome if kind in OPINION_KINDS else None,
        body=RichTextValue(html, "text/html", "text/x-html-safe"),
        letter_file=NamedBlobFile(
            data=pdf, filename=filename, contentType="application/pdf"
        ),
    )
