"""Closed cases with real files, ready to be filed (shared by the archival tests)."""

from io import BytesIO
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from xinfang_archive.localtime import local_today


TODAY = local_today()


def make_pdf(pages=2, text="Case file"):
    buffer = BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        drawing.drawString(72, 720, f"{text} page {number + 1}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def add_document(
    case,
    title="调查报告",
    data=None,
    filename="report.pdf",
    content_type="application/pdf",
    pages=2,
    **fields,
):
    data = make_pdf(pages) if data is None else data
    values = {
        "title": title,
        "file": NamedBlobFile(data=data, filename=filename, contentType=content_type),
        "responsible": "住房和城乡建设局",
        "document_date": TODAY,
        "classification": "internal",
        "pages": pages,
    }
    values.update(fields)
    return createContentInContainer(
        case, "CaseDocument", checkConstraints=False, **values
    )


def add_reply(case, kind, outcome=None, number="城建信〔2024〕1号"):
    return createContentInContainer(
        case,
        "Reply",
        checkConstraints=False,
        kind=kind,
        document_number=number,
        reply_date=TODAY,
        outcome=outcome,
        body=RichTextValue("<p>经调查核实……</p>", "text/html", "text/x-html-safe"),
    )


def do(obj, transition):
    api.portal.get_tool("portal_workflow").doActionFor(obj, transition)


def close_case(case, unit="JSJ", outcome="explain"):
    """Accept, route, reply and close ``case`` (as the current, Manager, user)."""
    do(case, "accept")
    case.responsible_unit = unit
    do(case, "assign")
    add_reply(case, "handling_opinion", outcome=outcome)
    do(case, "reply")
    do(case, "close")
    return case


def as_archivist(portal):
    setRoles(portal, TEST_USER_ID, ["Archivist"])


def as_manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
