"""The statutory reply letters (告知书 / 意见书) of a petition bureau as PDF.

Laid out after GB/T 9704-2012 (党政机关公文格式) on A4: the issuing unit in
red over a red rule, the title, the document number (文号), the addressee,
the body with a two-character first-line indent, the outcome of an opinion,
the petitioner's rights with their deadlines, and the issuing unit and date
at the bottom right under the place of the seal. The seal itself is only
marked (a dashed circle labelled "（印章）"): the real one is put on paper.

The text is Chinese whatever the language of the user who renders it: a
letter is a record in the bureau's language.
"""

from dataclasses import dataclass
from dataclasses import field
from io import BytesIO
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus.flowables import HRFlowable
from xinfang_archive.documents.fonts import font_name
from xinfang_archive.documents.layout import _NumberedCanvas
from xinfang_archive.documents.layout import PORTRAIT
from xml.sax.saxutils import escape

import datetime


LETTER_KINDS = {
    "acceptance_notice": "受理告知书",
    "rejection_notice": "不予受理告知书",
    "extension_notice": "延期告知书",
    "handling_opinion": "处理意见书",
    "review_opinion": "复查意见书",
    "rereview_opinion": "复核意见书",
}
# The opinions decide the matter and state its outcome under this label.
OUTCOME_LABELS = {
    "handling_opinion": "处理意见",
    "review_opinion": "复查意见",
    "rereview_opinion": "复核意见",
}

# GB/T 9704-2012: top 37 mm, binding side 28 mm, type area 156 × 225 mm.
TOP_MARGIN = 37 * mm
BOTTOM_MARGIN = 35 * mm
LEFT_MARGIN = 28 * mm
RIGHT_MARGIN = 26 * mm
# Body in 三号 (16 pt), 22 lines to the type area.
BODY_SIZE = 16
LEADING = 225 * mm / 22
CHAR = BODY_SIZE  # one full-width character
PAGE_NUMBER_SIZE = 14  # 四号
SMALL_SIZE = 9
SEAL_RADIUS = 21 * mm  # a 42 mm official seal
SIGNATURE_GAP = LEADING * 0.4  # the seal's top within a line of the text (GB/T 9704)
RED = colors.HexColor("#d40000")
MARK_GREY = colors.HexColor("#8c8c8c")
ENDING_PUNCTUATION = "。！？；."


@dataclass
class Letter:
    kind: str
    document_number: str
    addressee: str  # already formatted, with its colon: "张某某："
    issuing_unit: str
    date: datetime.date
    body: list[str]  # paragraphs, plain text
    outcome: str | None = None  # 支持 / 解释说明 / 不予支持, for the opinions
    rights: list[str] = field(default_factory=list)  # paragraphs, see default_rights
    registration_number: str = ""  # 信访件编号, in small print over the heading
    cc: str = ""  # 抄送

    @property
    def title(self):
        return LETTER_KINDS[self.kind]


def chinese_date(day):
    """A date as official documents write it: 2024年5月6日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def default_rights(
    kind,
    *,
    handle_days=60,
    max_extension_days=30,
    review_request_days=30,
    rereview_request_days=30,
    review_authority="",
    rereview_authority="",
):
    """The petitioner's rights and deadlines a letter of ``kind`` states.

    After 信访条例 (2005) and 信访工作条例 (2022). The day counts are the
    bureau's settings (the statutory values are the defaults); the
    authorities default to the generic wording.
    """
    _check_kind(kind)
    for days in (
        handle_days,
        max_extension_days,
        review_request_days,
        rereview_request_days,
    ):
        if not isinstance(days, int) or days <= 0:
            raise ValueError(f"期限天数须为正整数，而不是 {days!r}。")
    if kind == "acceptance_notice":
        return [
            f"本机关将自受理之日起{handle_days}日内办结你的信访事项；情况复杂的，"
            f"经本机关负责人批准，可以适当延长办理期限，但延长期限不得超过"
            f"{max_extension_days}日，并将延期理由告知你。",
            "办理期间，你可以向本机关查询信访事项的办理进展情况。",
        ]
    if kind == "rejection_notice":
        return [
            "你可以向依法有权处理的机关提出信访事项；依法应当通过诉讼、仲裁、"
            "行政复议等法定途径解决的，可以依照有关法律、行政法规规定的程序"
            "向有关机关提出。",
        ]
    if kind == "extension_notice":
        return ["办理期间，你可以向本机关查询信访事项的办理进展情况。"]
    if kind == "handling_opinion":
        authority = review_authority or "上一级行政机关"
        return [
            f"如对本处理意见不服，可自收到本意见书之日起{review_request_days}日内"
            f"向{authority}请求复查。",
        ]
    if kind == "review_opinion":
        authority = rereview_authority or "复查机关的上一级行政机关"
        return [
            f"如对本复查意见不服，可自收到本意见书之日起{rereview_request_days}日内"
            f"向{authority}请求复核。",
        ]
    return [
        "复核意见为终结意见；信访人对复核意见不服，仍以同一事实和理由提出信访"
        "请求的，不再受理。",
    ]


def validate(letter):
    """Raise ``ValueError`` (in Chinese) if ``letter`` cannot be issued."""
    _check_kind(letter.kind)
    title = letter.title
    if not (letter.document_number or "").strip():
        raise ValueError(f"{title}缺少文号。")
    if not (letter.issuing_unit or "").strip():
        raise ValueError(f"{title}缺少发文机关。")
    if not (letter.addressee or "").strip():
        raise ValueError(f"{title}缺少主送对象（信访人）。")
    if not isinstance(letter.date, datetime.date):
        raise ValueError(f"{title}缺少成文日期。")
    has_outcome = bool((letter.outcome or "").strip())
    if letter.kind in OUTCOME_LABELS and not has_outcome:
        raise ValueError(f"{title}须载明处理结果（支持、解释说明或不予支持）。")
    if letter.kind not in OUTCOME_LABELS and has_outcome:
        raise ValueError(f"{title}不载处理结果，处理结果只见于处理、复查、复核意见书。")


def _check_kind(kind):
    if kind not in LETTER_KINDS:
        known = "、".join(f"{key}（{title}）" for key, title in LETTER_KINDS.items())
        raise ValueError(f"未知的文书种类：{kind!r}。可用的种类：{known}。")


def pdf_title(letter):
    """The PDF's title metadata: 处理意见书 杭信复〔2024〕7号."""
    return f"{letter.title} {letter.document_number.strip()}"


def render_letter(letter):
    """The letter as an A4 PDF (bytes), the CJK font embedded."""
    validate(letter)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PORTRAIT,
        title=pdf_title(letter),
        author=letter.issuing_unit.strip(),
        subject=letter.registration_number.strip(),
        creator="xinfang_archive",
        lang="zh-CN",
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
    )
    registration = letter.registration_number.strip()

    def first_page(canvas, document):
        if registration:  # small print in the top margin, over the type area
            canvas.setFont(font_name(), SMALL_SIZE)
            canvas.drawString(
                LEFT_MARGIN,
                PORTRAIT[1] - TOP_MARGIN + 4 * mm,
                f"信访件编号：{registration}",
            )

    document.build(_story(letter), onFirstPage=first_page, canvasmaker=_LetterCanvas)
    return buffer.getvalue()


# -- the story ---------------------------------------------------------------


def _story(letter):
    styles = _styles(font_name())

    def para(text, style):
        return Paragraph(escape(text), styles[style])

    story = [
        para(letter.issuing_unit.strip(), "unit"),
        HRFlowable(
            width="100%",
            thickness=1.5,
            color=RED,
            spaceBefore=1 * mm,
            spaceAfter=LEADING * 0.8,
        ),
        para(letter.title, "title"),
        para(letter.document_number.strip(), "number"),
        para(letter.addressee.strip(), "addressee"),
    ]
    paragraphs = _paragraphs(letter.body)
    if letter.kind in OUTCOME_LABELS:
        paragraphs.append(
            _sentence(f"{OUTCOME_LABELS[letter.kind]}：{letter.outcome.strip()}")
        )
    paragraphs += _paragraphs(letter.rights)
    story += [para(text, "body") for text in paragraphs]
    signature = _SignatureBlock(letter.issuing_unit.strip(), chinese_date(letter.date))
    if paragraphs:
        story[-1] = _Closing(story[-1], signature)
    else:
        story.append(signature)
    if letter.cc.strip():
        story.append(_CopyNote(_sentence(f"抄送：{letter.cc.strip()}"), styles["cc"]))
    return story


def _paragraphs(texts):
    """Plain-text paragraphs; line breaks start new ones, blank ones go."""
    lines = (line.strip() for text in texts for line in str(text).splitlines())
    return [line for line in lines if line]


def _sentence(text):
    return text if text.endswith(tuple(ENDING_PUNCTUATION)) else text + "。"


_STYLE_CACHE = {}


def _styles(font):
    if font not in _STYLE_CACHE:
        body = ParagraphStyle(
            "letter-body",
            fontName=font,
            fontSize=BODY_SIZE,
            leading=LEADING,
            wordWrap="CJK",
            alignment=TA_JUSTIFY,
            firstLineIndent=2 * CHAR,
        )
        _STYLE_CACHE[font] = {
            "body": body,
            "unit": ParagraphStyle(
                "letter-unit",
                body,
                fontSize=26,
                leading=34,
                alignment=TA_CENTER,
                firstLineIndent=0,
                textColor=RED,
            ),
            "title": ParagraphStyle(
                "letter-title",
                body,
                fontSize=22,
                leading=32,
                alignment=TA_CENTER,
                firstLineIndent=0,
            ),
            "number": ParagraphStyle(
                "letter-number",
                body,
                alignment=TA_RIGHT,
                firstLineIndent=0,
                rightIndent=CHAR,
                spaceAfter=LEADING * 0.5,
            ),
            "addressee": ParagraphStyle(
                "letter-addressee",
                body,
                firstLineIndent=0,
                alignment=0,
                keepWithNext=True,
            ),
            "cc": ParagraphStyle(
                "letter-cc",
                body,
                fontSize=14,
                leading=22,
                firstLineIndent=0,
                leftIndent=14,
                rightIndent=14,
                alignment=0,
            ),
        }
    return _STYLE_CACHE[font]


class _Closing(Flowable):
    """The last paragraph with the signature under it.

    The seal never stands on a page without text (GB/T 9704): when both do
    not fit, the paragraph splits and at least its last line goes over with
    the signature, rather than the whole paragraph leaving a gap behind.
    """

    def __init__(self, paragraph, signature):
        super().__init__()
        self.paragraph, self.signature = paragraph, signature

    def wrap(self, available_width, available_height):
        _, self.paragraph_height = self.paragraph.wrap(
            available_width, available_height
        )
        _, signature_height = self.signature.wrap(available_width, available_height)
        self.width = available_width
        self.height = self.paragraph_height + SIGNATURE_GAP + signature_height
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        if self.height <= available_height:
            return [self]
        # Room for all but (at least) the last line of the paragraph.
        room = min(available_height, self.paragraph_height - LEADING / 2)
        parts = self.paragraph.split(available_width, room)
        if len(parts) != 2:
            return []  # a one-line paragraph: all of it to the next page
        head, tail = parts
        return [head, _Closing(tail, self.signature)]

    def draw(self):
        self.paragraph.drawOn(self.canv, 0, self.height - self.paragraph_height)
        self.signature.drawOn(self.canv, 0, 0)


class _SignatureBlock(Flowable):
    """Issuing unit and date at the bottom right, under the place of the seal.

    GB/T 9704: the date four characters from the right edge, the unit
    centred over the date, the seal centred on both and a little above them.
    """

    def __init__(self, unit, date_text):
        super().__init__()
        self.unit, self.date_text = unit, date_text
        self.spaceBefore = SIGNATURE_GAP

    def wrap(self, available_width, available_height):
        self.width = available_width
        self.height = 2 * SEAL_RADIUS + 2 * mm
        return self.width, self.height

    def draw(self):
        canvas, font = self.canv, font_name()
        date_width = stringWidth(self.date_text, font, BODY_SIZE)
        centre = self.width - 4 * CHAR - date_width / 2
        unit_size = BODY_SIZE
        unit_width = stringWidth(self.unit, font, unit_size)
        if unit_width > self.width - CHAR:  # a very long name: smaller, not cut
            unit_size *= (self.width - CHAR) / unit_width
            unit_width = self.width - CHAR
        # A name too long to centre over the date there moves left, the date
        # and the seal with it, rather than past the margin.
        centre = min(centre, self.width - CHAR - unit_width / 2)
        seal_y = self.height - 1 * mm - SEAL_RADIUS
        unit_y = seal_y - 6 * mm
        canvas.saveState()
        canvas.setStrokeColor(MARK_GREY)
        canvas.setFillColor(MARK_GREY)
        canvas.setLineWidth(0.6)
        canvas.setDash(3, 2)
        canvas.circle(centre, seal_y, SEAL_RADIUS, stroke=1, fill=0)
        canvas.setFont(font, 10)
        canvas.drawCentredString(centre, seal_y + 8 * mm, "（印章）")
        canvas.restoreState()
        canvas.setFont(font, unit_size)
        canvas.drawCentredString(centre, unit_y, self.unit)
        canvas.setFont(font, BODY_SIZE)
        canvas.drawCentredString(centre, unit_y - LEADING, self.date_text)


class _CopyNote(Flowable):
    """The 抄送 line between two rules (版记), at the foot of the last page."""

    def __init__(self, text, style):
        super().__init__()
        self.paragraph = Paragraph(escape(text), style)

    def wrap(self, available_width, available_height):
        self.width = available_width
        _, text_height = self.paragraph.wrap(available_width, available_height)
        self.note_height = text_height + 4 * mm
        # Take the rest of the page so the note sits at its foot; if it does
        # not fit, ask for its own height and go to the next page's foot.
        self.height = max(self.note_height, available_height - 0.01)
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(1)
        canvas.line(0, self.note_height, self.width, self.note_height)
        canvas.line(0, 0, self.width, 0)
        canvas.restoreState()
        self.paragraph.drawOn(canvas, 0, 2 * mm)


class _LetterCanvas(_NumberedCanvas):
    """Page numbers "- 1 -" as GB/T 9704 places them, once there are two pages.

    Odd pages on the right and even pages on the left, one character in,
    7 mm below the type area.
    """

    def _draw_page_number(self, number, total):
        if total < 2:
            return
        width = self._pagesize[0]
        text = f"- {number} -"
        y = BOTTOM_MARGIN - 7 * mm - PAGE_NUMBER_SIZE * 0.8
        self.setFont(font_name(), PAGE_NUMBER_SIZE)
        if number % 2:
            self.drawRightString(width - RIGHT_MARGIN - PAGE_NUMBER_SIZE, y, text)
        else:
            self.drawString(LEFT_MARGIN + PAGE_NUMBER_SIZE, y, text)
