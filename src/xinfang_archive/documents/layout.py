"""Page, paragraph and table layout shared by the archive's PDF documents."""

from functools import cache
from io import BytesIO
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable
from reportlab.platypus import Paragraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Spacer
from reportlab.platypus import TableStyle
from xinfang_archive import _
from xinfang_archive.documents.fonts import font_name
from xinfang_archive.i18n import record_text
from xml.sax.saxutils import escape


PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 15 * mm
FOOTER_Y = 8 * mm
CELL_SIZE = 9
LABEL_FILL = colors.HexColor("#eeeeee")
RULE_COLOR = colors.HexColor("#b0b0b0")
# No-break spaces: a paragraph collapses ordinary (and ideographic) spaces.
HEADING_GAP = "\xa0" * 6


def yyyymmdd(day):
    """A date as archival catalogues write it (DA/T 22): 20240315."""
    return day.strftime("%Y%m%d") if day else ""


def number_text(value):
    return "" if value is None else str(value)


def labelled(label, value):
    """``label: value`` in the record language (全宗号：X001)."""
    return record_text(
        _("${label}: ${value}", mapping={"label": record_text(label), "value": value})
    )


def content_width(pagesize):
    return pagesize[0] - 2 * MARGIN


def column_widths(total, widths_mm):
    """Widths in points; the one ``None`` column takes the rest of ``total``."""
    fixed = sum(width * mm for width in widths_mm if width is not None)
    rest = total - fixed
    return [rest if width is None else width * mm for width in widths_mm]


@cache
def _styles(font):
    base = ParagraphStyle(
        "cell",
        fontName=font,
        fontSize=CELL_SIZE,
        leading=CELL_SIZE + 2.5,
        wordWrap="CJK",  # Chinese has no spaces: break between any characters
    )
    return {
        "cell": base,
        "centre": ParagraphStyle("centre", base, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "heading", base, fontSize=10, leading=14, spaceAfter=3 * mm
        ),
        # Running text (minutes): larger, with room between paragraphs.
        "body": ParagraphStyle(
            "body", base, fontSize=11, leading=18, spaceAfter=2 * mm
        ),
        "title": ParagraphStyle(
            "title",
            base,
            fontSize=18,
            leading=24,
            alignment=TA_CENTER,
            spaceAfter=4 * mm,
        ),
    }


def paragraph(text, style="cell"):
    return Paragraph(escape(str(text)), _styles(font_name())[style])


def title_block(title, *lines):
    """The document's title, centred, and its heading lines."""
    return [paragraph(record_text(title), "title")] + [
        paragraph(line, "heading") for line in lines
    ]


def heading_line(pairs):
    """One heading line of ``label: value`` pairs, spaced apart."""
    return HEADING_GAP.join(labelled(label, value) for label, value in pairs)


def grid_table(
    rows,
    widths,
    *,
    header_rows=0,
    label_columns=(),
    centred_columns=(),
    row_heights=None,
    lines="GRID",
    commands=(),
):
    """A ruled table in the CJK font; header rows repeat on every page.

    ``lines`` is GRID (every cell ruled) or BOX (only the outline).
    """
    style = [
        ("FONT", (0, 0), (-1, -1), font_name(), CELL_SIZE),
        (lines, (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        style += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), LABEL_FILL),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ]
    style += [("BACKGROUND", (col, 0), (col, -1), LABEL_FILL) for col in label_columns]
    style += [("ALIGN", (col, 0), (col, -1), "CENTER") for col in centred_columns]
    table = LongTable(
        rows, colWidths=widths, rowHeights=row_heights, repeatRows=header_rows
    )
    table.setStyle(TableStyle(style + list(commands)))
    return table


def header_row(labels):
    return [paragraph(record_text(label), "centre") for label in labels]


def form_table(pairs, width, label_width=32 * mm):
    """Label | value rows of a form (labels are messages, values text)."""
    rows = [[paragraph(record_text(label)), paragraph(value)] for label, value in pairs]
    return grid_table(rows, [label_width, width - label_width], label_columns=(0,))


def sign_off_table(entries, width):
    """Who did what, with room to sign and date by hand as on the paper form.

    ``entries`` are ``(label, name, date or None)``; columns: label, name,
    "Signature", (blank), "Date", date.
    """
    signature, day = record_text(_("Signature")), record_text(_("Date"))
    rows = [
        [
            paragraph(record_text(label)),
            paragraph(name),
            paragraph(signature, "centre"),
            "",
            paragraph(day, "centre"),
            yyyymmdd(when),
        ]
        for label, name, when in entries
    ]
    widths = column_widths(width, (30, 36, 18, None, 18, 30))
    return grid_table(rows, widths, label_columns=(0, 2, 4), row_heights=12 * mm)


class ArchiveCanvas(Canvas):
    """A canvas that starts in the CJK font.

    reportlab's default initial font, Helvetica, is not embedded, and would be
    listed among the fonts of every page.
    """

    def __init__(self, *args, **kwargs):
        # The doc template passes initialFontName=None: replace that as well.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or font_name()
        super().__init__(*args, **kwargs)


class _NumberedCanvas(ArchiveCanvas):
    """A canvas that writes "page n of m" once the page count is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_states = []

    def showPage(self):
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._page_states)
        for number, state in enumerate(self._page_states, start=1):
            self.__dict__.update(state)
            self._draw_page_number(number, total)
            super().showPage()
        super().save()

    def _draw_page_number(self, number, total):
        text = record_text(
            _("Page ${page} of ${pages}", mapping={"page": number, "pages": total})
        )
        self.setFont(font_name(), CELL_SIZE)
        self.drawCentredString(self._pagesize[0] / 2, FOOTER_Y, text)


def build_pdf(story, *, pagesize, title, numbered=True, on_first_page=None):
    """Lay ``story`` out on ``pagesize`` pages and return the PDF."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        title=title,
        creator="xinfang_archive",
        lang="zh-CN",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    options = {"canvasmaker": _NumberedCanvas if numbered else ArchiveCanvas}
    if on_first_page is not None:
        options["onFirstPage"] = on_first_page
    document.build(story, **options)
    return buffer.getvalue()


def spacer(height_mm):
    return Spacer(0, height_mm * mm)
