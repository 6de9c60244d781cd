"""Text extraction from attachments, on real PDF, DOCX, HTML and text files."""

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from xinfang_archive.search import attachments
from xinfang_archive.search.attachments import extract_text

import docx
import io
import logging
import pytest
import zipfile


FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
)


def make_pdf(encrypt=None):
    """Two pages of Chinese text in an embedded subset of WenQuanYi Zen Hei."""
    pdfmetrics.registerFont(TTFont("WQY", FONT_PATH, subfontIndex=0))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, encrypt=encrypt)
    pdf.setFont("WQY", 14)
    pdf.drawString(72, 720, "关于征地拆迁补偿的答复意见")
    pdf.drawString(72, 700, "信访人：张三")
    pdf.showPage()
    pdf.setFont("WQY", 14)
    pdf.drawString(72, 720, "京信复〔2024〕5号")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def pdf_bytes():
    return make_pdf()


def make_docx():
    document = docx.Document()
    document.add_paragraph("信访事项受理告知书")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "信访人"
    table.cell(0, 1).text = "李四"
    table.cell(1, 0).text = "诉求"
    table.cell(1, 1).text = "要求补发拆迁安置补助费"
    document.add_paragraph("特此告知。")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_pdf_chinese_text_of_both_pages(pdf_bytes):
    text = extract_text(pdf_bytes, "application/pdf", "reply.pdf")
    assert "关于征地拆迁补偿的答复意见" in text
    assert "信访人" in text and "张三" in text
    assert "京信复" in text
    assert "2024" in text and "5号" in text
    # Page order is kept, and pdfminer's form feeds are normalised away.
    assert text.index("答复意见") < text.index("京信复")
    assert "\x0c" not in text
    assert text == text.strip()


def test_pdf_sniffed_despite_wrong_content_type(pdf_bytes):
    text = extract_text(pdf_bytes, "application/octet-stream", "scan.bin")
    assert "关于征地拆迁补偿的答复意见" in text
    assert "京信复" in text


def test_pdf_sniffed_despite_text_content_type(pdf_bytes):
    text = extract_text(pdf_bytes, "text/plain", "reply.txt")
    assert "关于征地拆迁补偿的答复意见" in text
    assert "%PDF" not in text


def test_pdf_pages_capped(pdf_bytes, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_PDF_PAGES", 1)
    text = extract_text(pdf_bytes, "application/pdf")
    assert "关于征地拆迁补偿的答复意见" in text
    assert "京信复" not in text


def test_docx_paragraphs_and_table_cells_in_order():
    text = extract_text(make_docx(), DOCX_MIME, "notice.docx")
    expected = (
        "信访事项受理告知书",
        "信访人",
        "李四",
        "要求补发拆迁安置补助费",
        "特此告知。",
    )
    for part in expected:
        assert part in text
    assert text.index("受理告知书") < text.index("李四") < text.index("特此告知")


def test_docx_sniffed_without_content_type_or_name():
    text = extract_text(make_docx())
    assert "要求补发拆迁安置补助费" in text


def test_docx_merged_cell_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "合并单元格内容"
    buf = io.BytesIO()
    document.save(buf)
    text = extract_text(buf.getvalue(), DOCX_MIME)
    assert text.count("合并单元格内容") == 1


def test_html_without_script_and_style():
    html = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>答复意见书</title>
<style>body { color: red; }</style>
<script>var secret = "不应被索引";</script></head>
<body><h1>答复意见</h1>
<p>经调查，   您反映的问题属实。</p><p>特此答复。</p>
<table><tr><td>承办单位</td><td>区信访局</td></tr></table>
<!-- 注释不应出现 -->
</body></html>""".encode()
    text = extract_text(html, "text/html; charset=utf-8", "reply.html")
    assert "答复意见书" in text
    assert "经调查， 您反映的问题属实。" in text
    assert "承办单位 区信访局" in text
    # Paragraphs stay apart rather than being glued together.
    assert "属实。\n特此答复。" in text
    assert "secret" not in text
    assert "不应被索引" not in text
    assert "color" not in text
    assert "注释" not in text


def test_html_gbk_with_meta_charset():
    html = (
        '<html><head><meta charset="gb2312"></head><body><p>征地补偿</p></body></html>'
    )
    text = extract_text(html.encode("gbk"), None, "page.htm")
    assert text == "征地补偿"


def test_html_sniffed_when_undeclared():
    html = (
        "<!doctype html><html><body><script>alert(1)</script><p>答复</p></body></html>"
    )
    assert extract_text(html.encode("utf-8")) == "答复"


def test_html_sniffed_after_many_leading_comments():
    # Guards the sniffing regex against exponential backtracking.
    html = "<!-- x -->" * 40 + "<html><body><p>答复</p></body></html>"
    assert extract_text(html.encode("utf-8")) == "答复"


def test_xhtml_with_xml_declaration():
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<p>第一段</p>第二段<br/>第三段</body></html>"
    )
    text = extract_text(xhtml.encode("utf-8"), "application/xhtml+xml", "page.xhtml")
    assert text == "第一段\n第二段\n第三段"


def test_plain_text_utf8():
    data = "信访事项：征地补偿\r\n处理意见：  予以支持\n\n\n结束".encode()
    text = extract_text(data, "text/plain", "note.txt")
    assert text == "信访事项：征地补偿\n处理意见： 予以支持\n结束"


def test_plain_text_utf8_with_bom():
    data = "\ufeff信访人,诉求\n王五,补偿".encode("utf-8")
    text = extract_text(data, "text/csv", "list.csv")
    assert text == "信访人,诉求\n王五,补偿"


def test_plain_text_gb18030():
    original = "关于拆迁补偿的信访件登记表"
    data = original.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert extract_text(data, "text/plain", "legacy.txt") == original
    assert extract_text(data, None, "legacy.txt") == original
    # Undeclared but decodable bytes are read as text too.
    assert extract_text(data) == original


def test_plain_text_utf16_with_bom():
    # Windows Notepad's "Unicode" encoding.
    data = "信访\r\n登记".encode("utf-16")
    assert extract_text(data, None, "notepad.txt") == "信访\n登记"


def test_nul_stripped_and_whitespace_collapsed():
    data = "甲\x00乙 \t\u3000 丙\n \n\f丁".encode("utf-8")
    assert extract_text(data, "text/plain") == "甲乙 丙\n丁"


def test_undecodable_text_gives_empty(caplog):
    data = b"\x80\xff\x80\xff" * 10
    with caplog.at_level(logging.WARNING, logger="xinfang_archive.search"):
        assert extract_text(data, "text/plain", "bad.txt") == ""
    assert caplog.records


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.4 garbage", id="corrupt"),
        pytest.param(b"%PDF-", id="header-only"),
    ],
)
def test_corrupt_pdf_gives_empty_and_warns(data, caplog):
    with caplog.at_level(logging.WARNING, logger="xinfang_archive.search"):
        text = extract_text(data, "application/pdf", "broken.pdf")
    assert text == ""
    assert any(r.name == "xinfang_archive.search" for r in caplog.records)


def test_truncated_pdf_does_not_raise(pdf_bytes):
    text = extract_text(pdf_bytes[: len(pdf_bytes) // 2], "application/pdf", "cut.pdf")
    assert isinstance(text, str)


def test_encrypted_pdf_does_not_raise(caplog):
    data = make_pdf(encrypt="secret")
    assert b"/Encrypt" in data
    with caplog.at_level(logging.WARNING, logger="xinfang_archive.search"):
        text = extract_text(data, "application/pdf", "locked.pdf")
    assert isinstance(text, str)
    assert "关于征地拆迁" not in text


def test_pdf_with_owner_password_only_is_read():
    # Empty user password: anyone may open it, only permissions are restricted.
    encryption = StandardEncryption("", ownerPassword="owner", canCopy=0)
    data = make_pdf(encrypt=encryption)
    assert b"/Encrypt" in data
    assert "关于征地拆迁补偿的答复意见" in extract_text(data, "application/pdf")


def test_bad_zip_gives_empty(caplog):
    data = b"PK\x03\x04" + b"\x00" * 100
    with caplog.at_level(logging.WARNING, logger="xinfang_archive.search"):
        assert extract_text(data, DOCX_MIME, "broken.docx") == ""
    assert caplog.records


def test_docx_content_type_on_non_zip_gives_empty():
    assert extract_text(b"not a zip at all", DOCX_MIME, "fake.docx") == ""


def test_other_zip_gives_empty():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "压缩包里的文字")
    assert extract_text(buf.getvalue(), "application/zip", "files.zip") == ""
    assert extract_text(buf.getvalue(), "text/plain", "files.txt") == ""


@pytest.mark.parametrize(
    "content_type, filename",
    [
        ("image/png", "scan.png"),
        ("text/plain", "scan.txt"),  # sniffing beats a wrong text label
        (None, None),
        ("application/octet-stream", "scan.bin"),
    ],
)
def test_png_gives_empty(content_type, filename):
    assert extract_text(PNG_HEADER, content_type, filename) == ""


def test_declared_binary_types_give_empty():
    data = "看起来像文字".encode()
    assert extract_text(data, "image/jpeg", "photo.jpg") == ""
    assert extract_text(data, "audio/mpeg", "call.mp3") == ""


def test_undeclared_binary_gives_empty():
    assert extract_text(bytes(range(256)) * 4) == ""


def test_empty_input():
    assert extract_text(b"") == ""
    assert extract_text(b"", "application/pdf", "empty.pdf") == ""


def test_text_capped(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_TEXT_CHARS", 10)
    data = ("信访" * 1000).encode("utf-8")
    assert extract_text(data, "text/plain") == "信访" * 5


def test_default_caps():
    assert attachments.MAX_TEXT_CHARS == 2_000_000
    assert attachments.MAX_PDF_PAGES == 500


def test_pdf_line_wrapped_inside_chinese_text_is_joined():
    """A sentence wrapped by the layout is found as one string."""
    pdfmetrics.registerFont(TTFont("WQY", FONT_PATH, subfontIndex=0))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont("WQY", 14)
    pdf.drawString(72, 720, "村民反映征地拆")
    pdf.drawString(72, 702, "迁补偿款未发放。")
    pdf.drawString(72, 684, "XF-2024-000123")
    pdf.drawString(72, 666, "号楼")
    pdf.save()
    text = extract_text(buf.getvalue(), "application/pdf", "scan.pdf")
    assert "征地拆迁补偿款" in text
    assert "000123\n号楼" in text or "000123 号楼" in text
