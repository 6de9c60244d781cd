"""Output documents of filed records: the filing catalogue (PDF, XLSX), the
stamped renditions and cover sheets, the record note (备考表) and the links
of the case page; read back with pdfminer, pypdf and openpyxl."""

from io import BytesIO
from openpyxl import load_workbook
from pdfminer.high_level import extract_text
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from pypdf import PdfReader
from tests.helpers.archival import add_document
from tests.helpers.archival import as_archivist
from tests.helpers.archival import as_manager
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.archival import TODAY
from tests.helpers.views import render
from urllib.parse import unquote
from xinfang_archive import _
from xinfang_archive.archival.manifest import read_bytes
from zExceptions import Unauthorized
from zope.i18n import translate

import hashlib
import pytest


YEAR = TODAY.year


def local_today():
    """Filing and amendment times are shown as dates in China Standard Time."""
    from datetime import datetime
    from xinfang_archive.localtime import LOCAL_TIME

    return datetime.now(LOCAL_TIME).date()


GROUP = {"year": str(YEAR), "period": "D30", "organisation": "JSJ"}


def squeeze(text):
    return "".join(text.split())


def pdf_text(data, page=None):
    return squeeze(
        extract_text(BytesIO(data), page_numbers=None if page is None else [page])
    )


def t(msgid, request, **mapping):
    """A message of the add-on as the request reads it, without spaces (the
    zh_CN catalog may not hold the newest messages yet)."""
    return squeeze(translate(_(msgid, mapping=mapping), context=request))


def page_count(data):
    return len(PdfReader(BytesIO(data)).pages)


@pytest.fixture()
def closed(make_case, manager):
    """A closed case of 住建局 with a two-page PDF and a one-page text document."""

    def make(title="征地补偿款未按时发放", **overrides):
        case = make_case(title=title, **overrides)
        add_document(case)
        add_document(
            case,
            title="来信原件",
            data="来信内容".encode(),
            filename="letter.txt",
            content_type="text/plain",
            pages=1,
        )
        return close_case(case)

    return make


@pytest.fixture()
def filed(closed, portal):
    def make(count=1):
        cases = [closed(title=f"第{n}件事由") for n in range(1, count + 1)]
        as_archivist(portal)
        for case in cases:
            do(case, "file")
        as_manager(portal)
        return cases

    return make


def documents(case, title=None):
    return [
        obj
        for obj in case.objectValues()
        if obj.portal_type == "CaseDocument" and (title is None or obj.title == title)
    ]


# --- the filing catalogue ------------------------------------------------------


def test_catalogue_pdf_lists_the_group_in_item_order(filed, portal, request_):
    cases = filed(3)
    as_archivist(portal)
    request_.form.update(GROUP, format="pdf")
    data = render("filing-catalogue", portal["cases"], request_)
    response = request_.response
    assert response.getHeader("Content-Type") == "application/pdf"
    disposition = response.getHeader("Content-Disposition")
    assert disposition.startswith('attachment; filename="filing-catalogue-')
    assert (
        unquote(disposition.split("filename*=UTF-8''")[1])
        == f"归档文件目录-{YEAR}-D30-JSJ.pdf"
    )
    text = pdf_text(data)
    codes = [case.archival_code for case in cases]
    assert [code[-4:] for code in codes] == ["0001", "0002", "0003"]
    positions = [text.index(code) for code in codes]
    assert positions == sorted(positions)
    assert text.count(TODAY.strftime("%Y%m%d")) == 3
    # the group's heading: fonds, year, retention, organisation
    assert "归档文件目录" in text and "X001" in text and "城西县信访局" in text
    assert "30年" in text and "JSJ住房和城乡建设局" in text and str(YEAR) in text
    assert "城建信〔2024〕1号" in text  # 文号 of the handling opinion
    assert "第1件事由" in text and "内部" in text


def test_catalogue_xlsx_rows(filed, portal, request_):
    from xinfang_archive.archival.amend import amend

    cases = filed(3)
    as_archivist(portal)
    amend(documents(cases[1])[0], {"title": "调查报告（更正）"}, "题名录入错误")
    request_.form.update(GROUP, format="xlsx")
    data = render("filing-catalogue", portal["cases"], request_)
    assert request_.response.getHeader("Content-Type").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(BytesIO(data)).active
    assert str(YEAR) in sheet["A2"].value and "JSJ" in sheet["A2"].value
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in rows] == [1, 2, 3]
    assert [row[1] for row in rows] == [case.archival_code for case in cases]
    assert {row[5] for row in rows} == {TODAY.strftime("%Y%m%d")}
    assert [row[4] for row in rows] == ["第1件事由", "第2件事由", "第3件事由"]
    assert [row[7] for row in rows] == [3, 3, 3]  # 2 PDF pages + 1 text page
    amended = translate(
        _("Amendments: ${count}", mapping={"count": 1}), context=request_
    )
    assert [row[8] for row in rows] == [None, amended, None]
    assert {row[3] for row in rows} == {"住房和城乡建设局"}


def test_catalogue_takes_the_highest_classification(filed, portal, request_):
    case = filed(1)[0]
    from xinfang_archive.archival.amend import amend

    as_archivist(portal)
    amend(documents(case, "来信原件")[0], {"classification": "secret"}, "密级标注错误")
    request_.form.update(GROUP, format="xlsx")
    sheet = load_workbook(
        BytesIO(render("filing-catalogue", portal["cases"], request_))
    ).active
    assert sheet["G4"].value == "秘密"


@pytest.mark.parametrize(
    "form",
    [
        {
            "year": "1999",
            "period": "D30",
            "organisation": "JSJ",
            "format": "pdf",
        },  # no such group
        {"year": "20x4", "period": "D30", "organisation": "JSJ", "format": "pdf"},
        dict(GROUP, format="docx"),
        dict(GROUP),
        {},
    ],
)
def test_catalogue_without_a_valid_group_shows_the_groups(
    filed, portal, request_, form
):
    filed(2)
    as_archivist(portal)
    request_.form.update(form)
    html = render("filing-catalogue", portal["cases"], request_)
    assert "<html" in html and "xf-catalogue-groups" in html
    assert f"X001-XF·{YEAR}-D30-JSJ" in html
    assert '<td class="xf-catalogue-count">2</td>' in html
    assert (
        f"@@filing-catalogue?year={YEAR}&amp;period=D30&amp;organisation=JSJ&amp;format=xlsx"
        in html
    )
    assert ("xf-catalogue-notice" in html) == (form.get("year") == "1999")


def test_catalogue_is_for_archivists(filed, portal, staff):
    filed(1)
    login(portal, "handler")
    with pytest.raises(Unauthorized):
        portal.restrictedTraverse("cases/@@filing-catalogue")


# --- renditions ---------------------------------------------------------------


def test_rendition_of_a_pdf_is_stamped_and_the_original_unchanged(
    filed, portal, request_
):
    case = filed(1)[0]
    doc = documents(case, "调查报告")[0]
    entry = next(
        e
        for e in case.archival_manifest
        if e["path"] == doc.getId() and e["field"] == "file"
    )
    original = read_bytes(doc.file)
    data = render("archival-rendition", doc, request_)
    assert request_.response.getHeader("Content-Type") == "application/pdf"
    assert "filename*=UTF-8''" in request_.response.getHeader("Content-Disposition")
    assert page_count(data) == 2 == entry["pages"]
    assert data.startswith(original)  # an incremental update of the original
    first = pdf_text(data, 0)
    assert "Casefilepage1" in first
    # the stamp's cells, read row by row: labels, then values
    stamp = "".join(first.split("Casefilepage1"))
    assert stamp.startswith("全宗号年度件号X001")
    for value in (str(YEAR), "0001", "JSJ", "D30", "页数3"):  # 3 pages: 2 + 1
        assert value in stamp
    assert "X001" not in pdf_text(data, 1)
    # the stored original is never changed
    assert hashlib.sha256(read_bytes(doc.file)).hexdigest() == entry["sha256"]


def test_rendition_of_a_text_document_is_a_cover_sheet(filed, portal, request_):
    case = filed(1)[0]
    doc = documents(case, "来信原件")[0]
    data = render("archival-rendition", doc, request_)
    assert page_count(data) == 1
    text = pdf_text(data)
    assert case.archival_code in text and "letter.txt" in text and "来信原件" in text
    disposition = request_.response.getHeader("Content-Disposition")
    assert 'filename="X001-XF.' in disposition and '-cover.pdf"' in disposition
    assert (
        unquote(disposition.split("''")[1])
        == f"{case.archival_code}-letter-归档文件封面.pdf"
    )


def test_rendition_of_a_signed_reply(closed, make_case, portal, request_):
    from plone.namedfile.file import NamedBlobFile
    from tests.helpers.archival import add_reply
    from tests.helpers.archival import make_pdf

    case = make_case()
    add_document(case)
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    reply = add_reply(
        case, "handling_opinion", outcome="explain", number="城建信〔2024〕9号"
    )
    reply.signed_file = NamedBlobFile(
        data=make_pdf(1, "Signed reply"),
        filename="signed.pdf",
        contentType="application/pdf",
    )
    do(case, "reply")
    do(case, "close")
    as_archivist(portal)
    do(case, "file")
    data = render("archival-rendition", reply, request_)
    assert page_count(data) == 1
    first = pdf_text(data, 0)
    assert "Signedreplypage1" in first and "页数3" in first  # 2 + 1 pages
    links = render("archival-outputs", case, request_)
    assert f"{reply.absolute_url()}/@@archival-rendition" in [
        link["url"] for link in links
    ]


def test_rendition_of_a_changed_file_is_refused(filed, portal, request_):
    from plone.namedfile.file import NamedBlobFile

    case = filed(1)[0]
    doc = documents(case, "调查报告")[0]
    doc.__dict__["file"] = NamedBlobFile(
        data=b"%PDF-1.4 tampered", filename="report.pdf"
    )
    message = render("archival-rendition", doc, request_)
    assert request_.response.getStatus() == 409 and "SHA-256" in message


def test_no_rendition_or_note_before_filing(closed, request_):
    case = closed()
    assert render("archival-outputs", case, request_) == []
    render("record-note", case, request_)
    assert request_.response.getStatus() == 404
    message = render("archival-rendition", documents(case)[0], request_)
    assert request_.response.getStatus() == 404 and message


# --- the record note ---------------------------------------------------------------


def test_record_note_lists_the_documents_and_amendments(filed, portal, request_):
    from xinfang_archive.archival.amend import amend

    case = filed(1)[0]
    as_archivist(portal)
    amend(documents(case, "调查报告")[0], {"title": "调查报告（更正）"}, "题名录入错误")
    data = render("record-note", case, request_)
    assert request_.response.getHeader("Content-Type") == "application/pdf"
    text = pdf_text(data)
    assert case.archival_code in text and "第1件事由" in text
    assert t("${count} documents, ${pages} pages", request_, count=3, pages=3) in text
    assert (
        t(
            "${date} ${actor} amended: ${reason}",
            request_,
            date=local_today().isoformat(),
            actor=TEST_USER_ID,
            reason="题名录入错误",
        )
        in text
    )
    assert local_today().strftime("%Y%m%d") in text  # filed on


def test_record_note_reports_the_last_fixity_run(filed, portal, request_):
    from xinfang_archive.archival.fixity import record_run
    from xinfang_archive.archival.fixity import run_fixity

    case = filed(1)[0]
    record_run(portal, run_fixity(portal))
    text = pdf_text(render("record-note", case, request_))
    # the case's manifest: 4 metadata digests (case, 2 documents, reply) and 2 files
    assert (
        t(
            "${date} fixity check: all ${count} entries intact",
            request_,
            date=local_today().isoformat(),
            count=6,
        )
        in text
    )


# --- links for the case page ------------------------------------------------------------


def test_output_links(filed, portal, request_):
    case = filed(1)[0]
    links = render("archival-outputs", case, request_)
    assert [link["kind"] for link in links] == [
        "record-note",
        "rendition",
        "rendition",
        "catalogue",
    ]
    assert links[0]["title"] == "备考表" and links[0]["url"].endswith("/@@record-note")
    assert (
        links[1]["url"] == f"{documents(case)[0].absolute_url()}/@@archival-rendition"
    )
    assert "调查报告" in links[1]["title"]
    assert "format=pdf" in links[3]["url"] and "organisation=JSJ" in links[3]["url"]


# --- accusation material -------------------------------------------------------------


def test_accusation_material_is_not_in_the_outputs_of_those_without_the_right(
    closed, portal, request_, staff
):
    from xinfang_archive.archival.amend import amend

    case = closed()
    secret = add_document(case, title="实名举报信", pages=4, accusation=True)
    case.case_handler = "handler"
    as_archivist(portal)
    do(case, "file")
    as_manager(portal)
    amend(secret, {"title": "实名举报信（更正）"}, "举报人姓名更正")
    manager_note = pdf_text(render("record-note", case, request_))
    assert (
        t("${count} documents, ${pages} pages", request_, count=4, pages=7)
        in manager_note
    )
    assert "举报人姓名更正" in manager_note

    login(portal, "handler")
    assert api.user.has_permission("View", obj=case)
    assert not api.user.has_permission("View", obj=secret)
    links = render("archival-outputs", case, request_)
    assert all(secret.absolute_url() not in link["url"] for link in links)
    assert all("举报" not in link["title"] for link in links)
    assert [link["kind"] for link in links] == ["record-note", "rendition", "rendition"]
    note = pdf_text(render("record-note", case, request_))
    assert t("${count} documents, ${pages} pages", request_, count=3, pages=3) in note
    assert "举报" not in note
    stamped = render("archival-rendition", documents(case, "调查报告")[0], request_)
    assert "举报" not in pdf_text(stamped)
    with pytest.raises(Unauthorized):
        portal.restrictedTraverse(
            f"{'/'.join(secret.getPhysicalPath())}/@@archival-rendition"
        )


# --- the audit trail (functional: entries are written at commit) -----------------------------


def test_downloads_are_recorded_in_the_audit_trail(
    functional_portal, staff_users, request_factory
):
    from plone.dexterity.utils import createContentInContainer
    from tests.helpers.cases import case_data
    from tests.helpers.staff import STAFF_PASSWORD
    from xinfang_archive.audit.recorder import audit_store

    import transaction

    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data()
    )
    doc = add_document(case)
    close_case(case)
    open_case = createContentInContainer(
        functional_portal["cases"], "PetitionCase", **case_data()
    )
    open_doc = add_document(open_case)
    transaction.commit()
    before = max((e.seq for e in audit_store().iter_entries()), default=0)
    archivist = request_factory(basic_auth=("archivist", STAFF_PASSWORD), api=False)
    rest = request_factory(basic_auth=("archivist", STAFF_PASSWORD))
    rest.headers.update({"Accept": "application/json"})
    assert rest.post(f"{case.absolute_url()}/@workflow/file").status_code == 200

    url = f"{functional_portal['cases'].absolute_url()}/@@filing-catalogue"
    response = archivist.get(url, params=dict(GROUP, format="xlsx"))
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    page = archivist.get(url)
    assert page.status_code == 200 and "xf-catalogue-groups" in page.text
    inspector = request_factory(basic_auth=("inspector", STAFF_PASSWORD), api=False)
    rendition = inspector.get(f"{doc.absolute_url()}/@@archival-rendition")
    assert rendition.status_code == 200 and rendition.content.startswith(b"%PDF-")
    assert rendition.headers["Content-Type"] == "application/pdf"
    links = inspector.get(f"{case.absolute_url()}/@@archival-outputs").json()
    assert [link["kind"] for link in links] == ["record-note", "rendition"]
    not_filed = inspector.get(f"{open_doc.absolute_url()}/@@archival-rendition")
    assert not_filed.status_code == 404 and not_filed.text
    assert inspector.get(f"{case.absolute_url()}/@@record-note").status_code == 200
    # (not asked here: who may not see the catalogue; a refused GET is
    # recorded as a failed login, see test_catalogue_is_for_archivists)

    transaction.begin()
    # the trail is shared by the whole test run: only this test's entries
    exports = [e for e in audit_store().iter_entries(action="export") if e.seq > before]
    assert len(exports) == 1
    assert (
        exports[0].actor == "archivist"
        and exports[0].details["what"] == "filing-catalogue"
    )
    assert exports[0].details["format"] == "xlsx" and exports[0].details["items"] == 1
    downloads = [
        (e.actor, e.details.get("what"))
        for e in audit_store().iter_entries(action="download")
        if e.seq > before
    ]
    assert ("inspector", "archival-rendition") in downloads
    assert ("inspector", "record-note") in downloads
