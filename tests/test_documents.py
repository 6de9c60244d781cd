"""The archive's output documents: real PDFs and workbooks, read back.

Labels are not checked (the zh_CN catalog may not be loaded here); the data
values, which are Chinese, are.
"""

from dataclasses import replace
from datetime import date
from io import BytesIO
from openpyxl import load_workbook
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
from pypdf import PdfReader
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas
from tests.helpers.pdf import A4_LANDSCAPE
from tests.helpers.pdf import A4_PORTRAIT
from tests.helpers.pdf import assert_fonts_embedded
from tests.helpers.pdf import embedded
from tests.helpers.pdf import page_fonts
from tests.helpers.pdf import page_sizes
from tests.helpers.pdf import pages_of
from tests.helpers.pdf import pdf_text
from tests.helpers.pdf import squeeze
from xinfang_archive import _
from xinfang_archive.documents import fonts
from xinfang_archive.documents.beikao import beikao_pdf
from xinfang_archive.documents.catalogue import catalogue_pdf
from xinfang_archive.documents.catalogue import catalogue_xlsx
from xinfang_archive.documents.catalogue import COLUMNS
from xinfang_archive.documents.destruction import destruction_list_pdf
from xinfang_archive.documents.records import CatalogueHeading
from xinfang_archive.documents.records import CatalogueRow
from xinfang_archive.documents.records import DestructionInfo
from xinfang_archive.documents.records import DestructionRow
from xinfang_archive.documents.records import DocumentInfo
from xinfang_archive.documents.records import FilingStamp
from xinfang_archive.documents.records import RecordNote
from xinfang_archive.documents.stamp import cover_sheet
from xinfang_archive.documents.stamp import RenditionError
from xinfang_archive.documents.stamp import stamped_pdf
from xinfang_archive.i18n import record_text

import hashlib
import pytest
import time


CODE = "X001-XF·2024-D30-JSJ-0007"
LONG_TITLE = "关于某某小区物业管理服务质量差、收费标准不透明以及公共维修基金使用情况长期不公开问题的反映"
HEADING = CatalogueHeading("X001", "某某市信访局", 2024, "D30", "30年", "JSJ", "接待科")
STAMP = FilingStamp("X001", 2024, "D30", 7, "JSJ", 12)


def code(number, year=2024, retention="D30"):
    return f"X001-XF·{year}-{retention}-JSJ-{number:04d}"


def catalogue_rows(count):
    return [
        CatalogueRow(
            number=number,
            archival_code=code(number),
            document_number=f"杭信复〔2024〕{number}号",
            responsible="某某市信访局",
            title=LONG_TITLE if number % 10 == 3 else "征地补偿款未按时发放",
            date=date(2024, 3, 15),
            classification="内部",
            pages=number % 9 + 1,
            remarks="复查件" if number == 7 else "",
        )
        for number in range(1, count + 1)
    ]


# -- reading PDFs back ------------------------------------------------------


# -- fonts ------------------------------------------------------------------


def test_font_is_registered_once():
    assert fonts.font_name() == fonts.font_name()


def test_missing_font_names_the_package_and_variable(monkeypatch, tmp_path):
    missing = tmp_path / "nowhere.ttc"
    monkeypatch.setenv(fonts.FONT_ENV, str(missing))
    with pytest.raises(fonts.FontMissing) as raised:
        fonts.font_name()
    message = str(raised.value)
    assert "fonts-wqy-zenhei" in message
    assert fonts.FONT_ENV in message
    assert str(missing) in message
    # The registration is cached per font path and a failure is not cached:
    # once the variable is back, the default font is there again.
    monkeypatch.delenv(fonts.FONT_ENV)
    assert fonts.font_name()


def test_a_font_reportlab_cannot_embed_is_reported(monkeypatch, tmp_path):
    not_a_font = tmp_path / "fake.ttf"
    not_a_font.write_bytes(b"not a font at all")
    monkeypatch.setenv(fonts.FONT_ENV, str(not_a_font))
    with pytest.raises(fonts.FontMissing, match="fonts-wqy-zenhei"):
        fonts.font_name()


# -- the filing catalogue ---------------------------------------------------


def test_catalogue_pdf_holds_heading_and_rows():
    pdf = catalogue_pdf(HEADING, catalogue_rows(12))
    assert page_sizes(pdf) == [A4_LANDSCAPE]
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    for value in (
        "X001",
        "某某市信访局",
        "接待科",
        "30年",
        code(1),
        code(12),
        "杭信复〔2024〕7号",
        LONG_TITLE,
        "征地补偿款未按时发放",
        "20240315",
        "内部",
        "复查件",
    ):
        assert value in text


@pytest.fixture(scope="module")
def thousand_rows():
    rows = catalogue_rows(1000)
    started = time.perf_counter()
    pdf = catalogue_pdf(HEADING, rows)
    return rows, pdf, time.perf_counter() - started


def test_catalogue_of_1000_rows_keeps_every_row(thousand_rows):
    rows, pdf, seconds = thousand_rows
    assert seconds < 10  # about 2 s; guards against quadratic layout
    pages = pages_of(pdf)
    assert len(pages) > 10
    assert page_sizes(pdf) == [A4_LANDSCAPE] * len(pages)
    # pypdf reads the 40-odd pages about four times as fast as pdfminer.
    texts = [squeeze(page.extract_text()) for page in pages]
    header = squeeze(record_text(COLUMNS[1]))
    assert all(header in text for text in texts)  # the header repeats
    text = "".join(texts)
    assert all(row.archival_code in text for row in rows)
    total = len(pages)
    last = record_text(
        _("Page ${page} of ${pages}", mapping={"page": total, "pages": total})
    )
    assert squeeze(last) in texts[-1]


def test_catalogue_xlsx(thousand_rows):
    rows = thousand_rows[0]
    started = time.perf_counter()
    data = catalogue_xlsx(HEADING, rows)
    assert time.perf_counter() - started < 5
    sheet = load_workbook(BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert "某某市信访局" in values[1][0] and "接待科" in values[1][0]
    assert list(values[2]) == [record_text(label) for label in COLUMNS]
    assert sheet["A3"].font.b
    assert len(values) == 3 + len(rows)
    first = values[3]
    assert first[:8] == (
        1,
        code(1),
        "杭信复〔2024〕1号",
        "某某市信访局",
        "征地补偿款未按时发放",
        "20240315",
        "内部",
        2,
    )
    assert values[3 + 6][8] == "复查件"
    assert values[-1][1] == code(1000)
    assert sheet["F4"].data_type == "s"
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4


def test_catalogue_xlsx_writes_no_formulas():
    row = replace(catalogue_rows(1)[0], title='=HYPERLINK("http://example.com","征地")')
    sheet = load_workbook(BytesIO(catalogue_xlsx(HEADING, [row]))).active
    assert sheet["E4"].data_type == "s"
    assert sheet["E4"].value == row.title


# -- the filing stamp and renditions ----------------------------------------


def make_original(first=(letter, 0), second=(A4, 90)):
    """A two-page PDF as a scanner or office suite would hand it in."""
    buffer = BytesIO()
    canvas = Canvas(buffer)
    for number, (size, rotation) in enumerate((first, second), start=1):
        canvas.setPageSize(size)
        canvas.setPageRotation(rotation)
        canvas.setFont(fonts.font_name(), 14)
        canvas.drawString(72, 300, f"原件第{number}页 答复意见书")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def page_layout(pdf):
    return [(page.mediabox, page.rotation) for page in pages_of(pdf)]


def test_stamped_pdf_keeps_the_original_and_stamps_page_one():
    original = make_original()
    digest = hashlib.sha256(original).hexdigest()
    rendition = stamped_pdf(original, STAMP)
    assert hashlib.sha256(original).hexdigest() == digest
    # An incremental update: the original bytes come first, unchanged.
    assert rendition.startswith(original) and len(rendition) > len(original)
    assert page_layout(rendition) == page_layout(original)
    first, second = pdf_text(rendition, 0), pdf_text(rendition, 1)
    assert "原件第1页答复意见书" in first
    assert "原件第2页答复意见书" in second
    for value in ("X001", "2024", "0007", "JSJ", "D30", "12"):
        assert value in first
    assert "0007" not in second and "X001" not in second
    assert any(embedded(font) for font in page_fonts(pages_of(rendition)[0]))
    # Page 2 shares its resources with page 1 in the original: not any more.
    assert len(page_fonts(pages_of(rendition)[1])) == len(
        page_fonts(pages_of(original)[1])
    )


@pytest.mark.parametrize(
    "size, rotation", [(A4, 0), (letter, 90), (A4, 180), (A4, 270)]
)
def test_stamp_sits_upright_in_the_top_right_corner(size, rotation):
    rendition = stamped_pdf(make_original(first=(size, rotation)), STAMP)
    # pdfminer lays a page out as displayed, with its /Rotate applied.
    page = next(extract_pages(BytesIO(rendition), page_numbers=[0]))
    width, height = page.width, page.height
    boxes = [
        box
        for box in page
        if isinstance(box, LTTextContainer) and "0007" in box.get_text()
    ]
    assert boxes
    box = boxes[0]
    assert box.x1 <= width and box.x0 > width * 0.75
    assert box.y1 <= height and box.y0 > height - 30 * 72 / 25.4


def test_encrypted_pdf_cannot_be_stamped():
    writer = PdfWriter(clone_from=PdfReader(BytesIO(make_original())))
    writer.encrypt("secret")
    encrypted = BytesIO()
    writer.write(encrypted)
    with pytest.raises(RenditionError, match="encrypted"):
        stamped_pdf(encrypted.getvalue(), STAMP)


def test_unreadable_pdf_cannot_be_stamped():
    with pytest.raises(RenditionError):
        stamped_pdf(b"%PDF-1.4\nthis is no PDF", STAMP)


def test_cover_sheet():
    sha256 = hashlib.sha256(b"scan").hexdigest()
    info = DocumentInfo(
        title="征地补偿款未按时发放的答复意见书",
        archival_code=CODE,
        responsible="某某市信访局",
        date=date(2024, 3, 15),
        document_number="杭信复〔2024〕7号",
        classification="内部",
        filename="答复意见书-扫描件.tiff",
        size=1234567,
        sha256=sha256,
    )
    pdf = cover_sheet(STAMP, info)
    assert page_sizes(pdf) == [A4_PORTRAIT]
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    for value in (
        info.title,
        CODE,
        "某某市信访局",
        "20240315",
        "杭信复〔2024〕7号",
        "内部",
        "答复意见书-扫描件.tiff",
        "1,234,567",
        sha256,
        "0007",
        "D30",
    ):
        assert value in text


# -- record note and destruction list ---------------------------------------


def test_beikao_pdf():
    note = RecordNote(
        archival_code=CODE,
        title="征地补偿款未按时发放",
        lines=(
            "本件共3份文件，12页。",
            "20240320王五更正第2页文号，经李四批准。",
            "20240402固定性校验：SHA-256一致。",
        ),
        filed_by="张三",
        checked_by="李四",
        filed_on=date(2024, 3, 15),
    )
    pdf = beikao_pdf(note)
    assert page_sizes(pdf) == [A4_PORTRAIT]
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    for value in (
        CODE,
        "征地补偿款未按时发放",
        *note.lines,
        "张三",
        "李四",
        "20240315",
    ):
        assert value in text


def test_destruction_list_pdf():
    rows = [
        DestructionRow(
            number,
            code(number, 2014, "D10"),
            "拖欠农民工工资",
            2014,
            "10年",
            number,
            "保管期限已满，经鉴定无保存价值",
        )
        for number in range(1, 41)
    ]
    info = DestructionInfo(
        fonds_code="X001",
        fonds_name="某某市信访局",
        appraisal_reference="鉴字〔2025〕3号",
        appraised_on=date(2025, 1, 10),
        proposed_by="王五",
        approved_by="赵六",
        approved_on=date(2025, 2, 1),
        supervised_by="钱七",
        executed_by="孙八",
        destroyed_on=None,
    )
    pdf = destruction_list_pdf(info, rows)
    sizes = page_sizes(pdf)
    assert len(sizes) > 1 and set(sizes) == {A4_LANDSCAPE}
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    for value in (
        "某某市信访局",
        "鉴字〔2025〕3号",
        "20250110",
        "20250201",
        code(1, 2014, "D10"),
        code(40, 2014, "D10"),
        "拖欠农民工工资",
        "10年",
        "保管期限已满，经鉴定无保存价值",
        "王五",
        "赵六",
        "钱七",
        "孙八",
        str(sum(range(1, 41))),
    ):
        assert value in text
