"""The monthly bulletin of petition work (信访工作月通报) as PDF and dashboard data.

The bulletin is a document of the bureau, issued in Chinese: its headings and
sentences are Chinese text, as the figures' titles are (the caller passes
``titles``: ``{"category" | "channel" | "unit" | "grade": {code: 中文名}}``,
e.g. from the registry vocabularies).  Nothing here needs Plone.

Layout (A4 portrait, the archive's embedded CJK font, page numbers): title and
issue; 一 summary in prose; 二 intake against last month and last year, with
the last twelve months as a line chart; 三 categories (table, bar chart);
四 channels (table, pie); 五 grades and repeat / skip-level / collective
petitions; 六 units; 七 the rates and their definitions; 八 the unit ranking
(horizontal bars, table, how the score is made); 九 the overdue cases, at most
``bulletin.overdue_limit`` (300 by default) with the rest counted, in a table
whose header repeats on every page; 十 the screening periods due in the month
(who reported, reported zero, did not report, missed the deadline) and the
accountability records decided.
"""

from functools import cache
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak
from reportlab.platypus import KeepTogether
from reportlab.platypus import Paragraph
from reportlab.platypus import Table
from xinfang_archive.documents.fonts import font_name
from xinfang_archive.documents.layout import build_pdf
from xinfang_archive.documents.layout import column_widths
from xinfang_archive.documents.layout import content_width
from xinfang_archive.documents.layout import grid_table
from xinfang_archive.documents.layout import HEADING_GAP
from xinfang_archive.documents.layout import paragraph
from xinfang_archive.documents.layout import PORTRAIT
from xinfang_archive.documents.layout import spacer
from xinfang_archive.reports.figures import ACCOUNTABILITY_PENALTY
from xinfang_archive.reports.figures import DIMENSIONS
from xinfang_archive.reports.figures import percent_text
from xinfang_archive.reports.figures import RATE_NAMES
from xinfang_archive.reports.figures import SCORE_WEIGHTS
from xinfang_archive.reports.figures import UNASSIGNED
from xml.sax.saxutils import escape


TITLE = "信访工作月通报"
DIMENSION_TITLES = {
    "category": "问题类别",
    "channel": "信访渠道",
    "unit": "责任单位",
    "grade": "信访等级",
}
RATE_TITLES = {
    "acceptance_on_time": "按期受理率",
    "handling_on_time": "按期办结率",
    "reply": "回复率",
    "handling": "处理率",
    "satisfaction": "满意率",
}
# The 口径说明 printed under the rates (see reports.figures for the full text).
RATE_DEFINITIONS = {
    "acceptance_on_time": "受理期限在统计期内且已有结果（已作出受理或不予受理决定，或期限已过）的事项中，"
    "在期限当日或之前作出决定的比例；期限当日作出视为按期。",
    "handling_on_time": "办理期限（含延期）在统计期内且已有结果（已答复或办结，或期限已过）的事项中，"
    "在期限当日或之前答复（未经答复而办结的以办结日为准）的比例。",
    "reply": "与按期办结率同一范围的事项中，截至统计日已答复或办结的比例（含超期答复）。",
    "handling": "统计期内受理的事项中，截至统计日已答复或办结的比例。",
    "satisfaction": "统计期内答复或办结且有回访评价的事项中，评价为满意或基本满意的比例。",
}
STAGE_TITLES = {
    "accept": "受理",
    "handle": "办理",
    "review": "复查",
    "rereview": "复核",
}
UNASSIGNED_TITLE = "未交办"
NO_DATA = "—"
RANKING_CHART_MAX = 40  # units drawn in the ranking chart; the table lists all
CHART_BARS_MAX = 12  # bars of the category chart; the rest are drawn as one
PALETTE = [
    colors.HexColor(value)
    for value in (
        "#3366aa",
        "#dd7722",
        "#55aa55",
        "#cc4444",
        "#8866bb",
        "#997755",
        "#dd77bb",
        "#777777",
        "#bbbb33",
        "#33bbcc",
        "#224477",
        "#aa5511",
    )
]
BAR_COLOR = PALETTE[0]
GRID_COLOR = colors.HexColor("#dddddd")


# -- text -------------------------------------------------------------------


def period_text(year, month):
    return f"{year}年{month}月"


def day_text(day):
    return f"{day.year}年{day.month}月{day.day}日"


def change_text(change):
    """``上升5.2%`` / ``下降3.0%`` / ``持平`` / ``无可比数据``."""
    tenths = change.tenths
    if tenths is None:
        return "无可比数据"
    if tenths == 0:
        return "持平"
    return ("上升" if tenths > 0 else "下降") + percent_text(abs(tenths))


def share_text(count, total):
    """``count`` as a share of ``total``: ``35.2%``, ``—`` for a total of 0."""
    return percent_text(_share_tenths(count, total))


def rate_cell(rate):
    """``92.3%（12/13）`` or ``—``."""
    if not rate.denominator:
        return NO_DATA
    return f"{rate.text()}（{rate.numerator}/{rate.denominator}）"


class Titles:
    """Chinese titles of codes, the code itself when a title is missing."""

    def __init__(self, titles):
        self.titles = titles or {}

    def __call__(self, dimension, code):
        if dimension == "unit" and not code:
            return UNASSIGNED_TITLE
        return self.titles.get(dimension, {}).get(code) or code

    def order(self, dimension):
        """Codes in the order the caller lists them (registry order)."""
        return {
            code: index for index, code in enumerate(self.titles.get(dimension, {}))
        }


def breakdown_rows(bulletin, dimension, titles):
    """``(code, title, month, year to date)`` for every code counted in either,
    most frequent this month first, then by year to date, then in the
    caller's order of codes."""
    month, ytd = bulletin.intake.by(dimension), bulletin.intake_ytd.by(dimension)
    order = titles.order(dimension)
    codes = set(month) | set(ytd)
    ranked = sorted(
        codes,
        key=lambda code: (
            -month.get(code, 0),
            -ytd.get(code, 0),
            order.get(code, len(order)),
            code,
        ),
    )
    return [
        (code, titles(dimension, code), month.get(code, 0), ytd.get(code, 0))
        for code in ranked
    ]


def summary_text(bulletin, titles):
    """The summary paragraph of the bulletin, generated from the figures."""
    intake, ytd = bulletin.intake, bulletin.intake_ytd
    total = intake.total
    sentences = [
        f"{period_text(bulletin.year, bulletin.month)}，共登记信访事项{total}件、"
        f"涉及{intake.people}人次，环比{change_text(bulletin.month_over_month)}，"
        f"同比{change_text(bulletin.year_over_year)}；"
        f"本年累计登记{ytd.total}件、{ytd.people}人次。"
    ]
    if total:
        channels = breakdown_rows(bulletin, "channel", titles)[:3]
        sentences.append(
            "从信访渠道看，"
            + "、".join(
                f"{title}{count}件（占{share_text(count, total)}）"
                for _code, title, count, _ytd in channels
                if count
            )
            + "。"
        )
        categories = [
            row for row in breakdown_rows(bulletin, "category", titles)[:3] if row[2]
        ]
        parts = [
            f"{title}（{count}件，占{share_text(count, total)}）"
            for _code, title, count, _ytd in categories
        ]
        joined = (
            parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]
        )
        sentences.append(f"从问题类别看，反映较为集中的是{joined}。")
        grades = sorted(
            intake.by_grade.items(),
            key=lambda item: (titles.order("grade").get(item[0], 99), item[0]),
        )
        sentences.append(
            "按信访等级分，"
            + "、".join(f"{titles('grade', code)}{count}件" for code, count in grades)
            + "。"
        )
        sentences.append(
            f"重复访{intake.repeat}件，越级访{intake.skip_level}件，"
            f"集体访{intake.collective}批{intake.collective_people}人次。"
        )
    rates = bulletin.rates
    sentences.append(
        "本月"
        + "，".join(
            f"{RATE_TITLES[name]}{getattr(rates, name).text()}"
            for name in (
                "acceptance_on_time",
                "handling_on_time",
                "reply",
                "handling",
                "satisfaction",
            )
        )
        + "。"
    )
    if bulletin.overdue_total:
        worst = bulletin.overdue[0].days_overdue if bulletin.overdue else 0
        units = sum(1 for unit in bulletin.units if unit.overdue)
        sentences.append(
            f"截至{day_text(bulletin.today)}，超期未办结信访事项{bulletin.overdue_total}件，"
            f"涉及{units}个责任单位，最长超期{worst}天，请有关单位对照附表抓紧办理。"
        )
    else:
        sentences.append(f"截至{day_text(bulletin.today)}，无超期未办结信访事项。")
    if len(bulletin.units) >= 6:
        first = "、".join(titles("unit", unit.code) for unit in bulletin.units[:3])
        last = "、".join(titles("unit", unit.code) for unit in bulletin.units[-3:])
        sentences.append(f"责任单位综合排名前三位的是{first}，后三位的是{last}。")
    return "".join(sentences)


# -- styles -----------------------------------------------------------------


@cache
def _styles(font):
    body = ParagraphStyle(
        "bulletin-body",
        fontName=font,
        fontSize=10.5,
        leading=18,
        firstLineIndent=21,
        alignment=TA_JUSTIFY,
        wordWrap="CJK",
    )
    return {
        "body": body,
        "subtitle": ParagraphStyle(
            "bulletin-subtitle",
            body,
            firstLineIndent=0,
            alignment=TA_CENTER,
            fontSize=10,
            leading=16,
        ),
        "section": ParagraphStyle(
            "bulletin-section",
            body,
            firstLineIndent=0,
            fontSize=13,
            leading=20,
            spaceBefore=4 * mm,
            spaceAfter=2 * mm,
            keepWithNext=1,
        ),
        "caption": ParagraphStyle(
            "bulletin-caption",
            body,
            firstLineIndent=0,
            alignment=TA_CENTER,
            fontSize=9,
            leading=13,
            spaceBefore=1 * mm,
            spaceAfter=2 * mm,
        ),
        "small": ParagraphStyle(
            "bulletin-small",
            body,
            firstLineIndent=0,
            alignment=0,
            fontSize=SMALL_SIZE,
            leading=SMALL_SIZE + 2,
        ),
        "small-centre": ParagraphStyle(
            "bulletin-small-centre",
            body,
            firstLineIndent=0,
            alignment=TA_CENTER,
            fontSize=SMALL_SIZE,
            leading=SMALL_SIZE + 2,
        ),
        "note": ParagraphStyle(
            "bulletin-note",
            body,
            firstLineIndent=0,
            fontSize=8.5,
            leading=13,
            textColor=colors.HexColor("#444444"),
        ),
    }


def _text(text, style):
    return Paragraph(escape(text), _styles(font_name())[style])


def _section(text):
    return _text(text, "section")


# -- tables -----------------------------------------------------------------

SMALL_SIZE = 8
NUMBERS_RIGHT = (("ALIGN", (1, 1), (-1, -1), "RIGHT"),)
TOTAL_ROW = (("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f5f5f5")),)


def _header(labels, small=False):
    if small:
        return [_text(label, "small-centre") for label in labels]
    return [paragraph(label, "centre") for label in labels]


def _compact():
    """Table commands of the long tables: smaller type, tighter rows."""
    return (
        ("FONT", (0, 0), (-1, -1), font_name(), SMALL_SIZE),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    )


def _table(rows, widths_mm, *, commands=NUMBERS_RIGHT, width=None, compact=False):
    widths = column_widths(width or content_width(PORTRAIT), widths_mm)
    if compact:
        commands = _compact() + tuple(commands)
    return grid_table(rows, widths, header_rows=1, commands=commands)


def totals_table(bulletin):
    mom, yoy = bulletin.month_over_month, bulletin.year_over_year
    rows = [
        _header(
            ("本月登记", "涉及人次", "上月", "环比", "去年同月", "同比", "本年累计")
        ),
        [
            str(bulletin.received),
            str(bulletin.intake.people),
            str(mom.previous),
            change_text(mom),
            str(yoy.previous),
            change_text(yoy),
            str(bulletin.intake_ytd.total),
        ],
    ]
    return _table(
        rows,
        (None, 25, 25, 25, 25, 25, 25),
        commands=(("ALIGN", (0, 1), (-1, -1), "CENTER"),),
    )


def breakdown_table(
    bulletin,
    dimension,
    titles,
    *,
    width=None,
    widths_mm=(None, 28, 24, 28, 24),
    compact=False,
):
    rows = breakdown_rows(bulletin, dimension, titles)
    total, ytd_total = bulletin.intake.total, bulletin.intake_ytd.total
    name = (lambda text: _text(text, "small")) if compact else paragraph
    table = [
        _header(
            (DIMENSION_TITLES[dimension], "本月件数", "占比", "本年累计", "占比"),
            compact,
        )
    ]
    table += [
        [
            name(title),
            str(month),
            share_text(month, total),
            str(ytd),
            share_text(ytd, ytd_total),
        ]
        for _code, title, month, ytd in rows
    ]
    table.append(
        [
            "合计",
            str(total),
            share_text(total, total),
            str(ytd_total),
            share_text(ytd_total, ytd_total),
        ]
    )
    return _table(
        table,
        widths_mm,
        commands=NUMBERS_RIGHT + TOTAL_ROW,
        width=width,
        compact=compact,
    )


def channel_block(bulletin, titles, width):
    """The channel table with the pie beside it."""
    table_width = 105 * mm
    table = breakdown_table(
        bulletin, "channel", titles, width=table_width, widths_mm=(None, 16, 14, 18, 14)
    )
    if not bulletin.received:
        return breakdown_table(bulletin, "channel", titles)
    pie = channel_chart(bulletin, titles, width - table_width)
    block = Table([[table, pie]], colWidths=[table_width, width - table_width])
    # The font too: a table sets its cells' font, Helvetica unless told.
    block.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), font_name(), SMALL_SIZE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return block


def special_table(bulletin):
    month, ytd = bulletin.intake, bulletin.intake_ytd
    rows = [
        _header(("类型", "本月", "占本月登记", "本年累计", "占本年登记")),
        *[
            [
                label,
                str(now),
                share_text(now, month.total),
                str(then),
                share_text(then, ytd.total),
            ]
            for label, now, then in (
                ("重复访（件）", month.repeat, ytd.repeat),
                ("越级访（件）", month.skip_level, ytd.skip_level),
                ("集体访（批）", month.collective, ytd.collective),
            )
        ],
        [
            "集体访（人次）",
            str(month.collective_people),
            share_text(month.collective_people, month.people),
            str(ytd.collective_people),
            share_text(ytd.collective_people, ytd.people),
        ],
    ]
    return _table(rows, (None, 28, 24, 28, 24))


def rates_table(bulletin):
    rows = [_header(("指标", "本月", "本年累计"))]
    for name in RATE_NAMES:
        rows.append(
            [
                RATE_TITLES[name],
                rate_cell(getattr(bulletin.rates, name)),
                rate_cell(getattr(bulletin.rates_ytd, name)),
            ]
        )
    return _table(rows, (None, 60, 60))


RATE_NOTE = (
    "比率后括号内为分子/分母；分母为0时记“—”。统计截至制表日，按登记日期归入统计期。"
)


def rate_notes():
    notes = [f"{RATE_TITLES[name]}：{RATE_DEFINITIONS[name]}" for name in RATE_NAMES]
    notes.append(RATE_NOTE)
    return [_text(note, "note") for note in notes]


def ranking_table(bulletin, titles):
    rows = [
        _header(
            (
                "名次",
                "责任单位",
                "本月登记",
                "按期办结率",
                "满意率",
                "在办",
                "超期",
                "排查报送及时率",
                "责任追究",
                "综合得分",
            ),
            small=True,
        )
    ]
    rows += [
        [
            str(unit.rank),
            _text(titles("unit", unit.code), "small"),
            str(unit.received),
            rate_cell(unit.handling_on_time),
            rate_cell(unit.satisfaction),
            str(unit.open),
            str(unit.overdue),
            unit.screening_on_time.text(),
            str(unit.accountability),
            NO_DATA if unit.score is None else f"{unit.score:.2f}",
        ]
        for unit in bulletin.units
    ]
    commands = (*NUMBERS_RIGHT, ("ALIGN", (0, 1), (0, -1), "CENTER"))
    return _table(
        rows, (9, None, 12, 27, 27, 10, 10, 15, 11, 14), commands=commands, compact=True
    )


def score_note_text():
    """How the ranking score is made (printed under the ranking)."""
    weights = SCORE_WEIGHTS
    return (
        f"综合得分＝（{weights['handling_on_time']}×按期办结率＋{weights['satisfaction']}×满意率"
        f"＋{weights['not_overdue']}×（100－超期占比）＋{weights['screening_on_time']}×排查报送及时率）"
        f"÷100－{ACCOUNTABILITY_PENALTY}×责任追究件数，最低为0，比率按百分数计；超期占比为超期件数占"
        "在办件数的比例（无在办件为0）；排查报送及时率为本月到期的矛盾纠纷排查报告期中按期报送的比例，"
        "逾期报送的按半期计，未报送的不计；责任追究件数为本月作出决定的责任追究件数。"
        "单位本月无可计算的按期办结率或满意率的，以当月总体比率代替；本月无到期排查报告期的，"
        "排查报送及时率一项不计，其余各项按权重折算；"
        "得分相同的按单位代码排序。在办、超期为截至制表日的件数。"
    )


def screening_table(bulletin):
    rows = [
        _header(
            (
                "报告期",
                "报送截止日",
                "应报单位",
                "已报告",
                "零报告",
                "未报告",
                "逾期（含未报）",
            )
        )
    ]
    rows += [
        [
            count.period,
            count.deadline.isoformat(),
            str(count.units),
            str(count.reported),
            str(count.zero),
            str(count.missing),
            str(count.late),
        ]
        for count in bulletin.screening
    ]
    return _table(
        rows,
        (None, 26, 20, 20, 20, 20, 28),
        commands=(("ALIGN", (0, 1), (-1, -1), "CENTER"),),
    )


def screening_block(bulletin):
    """十: the screening periods due in the month and the accountability records decided."""
    story = []
    if bulletin.screening:
        story += [
            screening_table(bulletin),
            spacer(2),
            _text(
                "逾期（含未报）为截止日后报送或截至制表日仍未报送的单位数；零报告为报告本期未排查出矛盾纠纷的单位数。",
                "note",
            ),
        ]
    else:
        story.append(_text("本月无到期的矛盾纠纷排查报告期。", "caption"))
    story.append(_text(f"本月作出责任追究决定{bulletin.accountability}件。", "note"))
    return story


def score_note():
    return _text(score_note_text(), "note")


def overdue_table(bulletin, titles, case_titles=True):
    """The overdue cases; without ``case_titles`` the third column is the
    category instead of the case's title (a title may name people)."""
    third = "信访事项" if case_titles else "问题类别"
    rows = [
        _header(
            ("序号", "登记编号", third, "责任单位", "环节", "期限", "超期天数"),
            small=True,
        )
    ]
    rows += [
        [
            str(number),
            case.registration_number,
            _text(
                case.title if case_titles else titles("category", case.category),
                "small",
            ),
            _text(titles("unit", case.unit), "small"),
            STAGE_TITLES.get(case.stage, case.stage),
            case.deadline.isoformat(),
            str(case.days_overdue),
        ]
        for number, case in enumerate(bulletin.overdue, start=1)
    ]
    commands = (
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (4, 1), (5, -1), "CENTER"),
        ("ALIGN", (6, 1), (6, -1), "RIGHT"),
    )
    return _table(rows, (10, 27, None, 34, 10, 18, 14), commands=commands, compact=True)


# -- charts -----------------------------------------------------------------


def nice_step(maximum, ticks=5):
    """A round step (1, 2 or 5 times a power of ten) for about ``ticks`` ticks."""
    raw = max(maximum, 1) / ticks
    power = 1
    while power * 10 <= raw:
        power *= 10
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover


def _value_axis(axis, maximum, font, fmt="%d"):
    step = nice_step(maximum)
    axis.valueMin = 0
    axis.valueStep = step
    axis.valueMax = step * (int(max(maximum, 1) * 1.12 // step) + 1)
    axis.labels.fontName = font
    axis.labels.fontSize = 8
    axis.labelTextFormat = fmt
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID_COLOR
    axis.strokeColor = colors.black


def _category_labels(axis, font, size=8):
    axis.labels.fontName = font
    axis.labels.fontSize = size
    axis.strokeColor = colors.black


def _drawing(width, height):
    """A drawing that starts in the CJK font.

    The renderer otherwise sets its default, Helvetica, at the start of every
    drawing: not embedded, it would be listed among the fonts of the page.
    """
    drawing = Drawing(width, height)
    drawing.initialFontName = font_name()
    return drawing


def _caption(drawing, text, font):
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height - 12,
            text,
            fontName=font,
            fontSize=10,
            textAnchor="middle",
        )
    )


def intake_chart(bulletin, width):
    """The intake of the last twelve months (line)."""
    font = font_name()
    drawing = _drawing(width, 175)
    months = bulletin.monthly_intake
    first, last = months[0], months[-1]
    _caption(
        drawing,
        f"近12个月登记量（{first[0]}年{first[1]}月—{last[0]}年{last[1]}月，件）",
        font,
    )
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 35, width - 60, 110
    counts = [count for _year, _month, count in months]
    chart.data = [counts]
    chart.categoryAxis.categoryNames = [
        f"{month}月\n{year}" if month == 1 or index == 0 else f"{month}月"
        for index, (year, month, _count) in enumerate(months)
    ]
    _category_labels(chart.categoryAxis, font)
    chart.categoryAxis.labels.dy = -4
    chart.categoryAxis.labels.boxAnchor = "n"
    _value_axis(chart.valueAxis, max(counts), font)
    chart.joinedLines = True
    chart.lines[0].strokeColor = BAR_COLOR
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=BAR_COLOR)
    chart.lineLabelFormat = "%d"
    chart.lineLabels.fontName = font
    chart.lineLabels.fontSize = 7
    chart.lineLabels.dy = 7
    drawing.add(chart)
    return drawing


def category_chart(bulletin, titles, width):
    """Cases of the month by category (vertical bars)."""
    font = font_name()
    rows = [
        (title, month)
        for _code, title, month, _ytd in breakdown_rows(bulletin, "category", titles)
        if month
    ]
    if len(rows) > CHART_BARS_MAX:
        rest = sum(count for _title, count in rows[CHART_BARS_MAX - 1 :])
        rows = [*rows[: CHART_BARS_MAX - 1], ("其余类别", rest)]
    labels = [title for title, _count in rows]
    slot = min(width - 60, max(len(rows), 3) * 60) / max(len(rows), 1)
    angled = any(stringWidth(label, font, 8) > slot - 4 for label in labels)
    label_room = (
        max(stringWidth(label, font, 8) for label in labels) * 0.55 + 12
        if angled and labels
        else 22
    )
    drawing = _drawing(width, 150 + label_room)
    _caption(drawing, "本月登记量按问题类别（件）", font)
    chart = VerticalBarChart()
    # A few bars keep a sensible width: the plot narrows and is centred.
    plot = min(width - 60, max(len(rows), 3) * 60)
    chart.x, chart.y, chart.width, chart.height = (
        40 + (width - 60 - plot) / 2,
        label_room,
        plot,
        115,
    )
    chart.data = [[count for _title, count in rows]]
    chart.categoryAxis.categoryNames = labels
    _category_labels(chart.categoryAxis, font)
    if angled:
        chart.categoryAxis.labels.angle = 35
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx = 4
        chart.categoryAxis.labels.dy = -4
    _value_axis(chart.valueAxis, max(chart.data[0]), font)
    chart.bars[0].fillColor = BAR_COLOR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def channel_chart(bulletin, titles, width):
    """Cases of the month by channel: a pie and its legend (name and share)."""
    font = font_name()
    rows = [
        (title, month)
        for _code, title, month, _ytd in breakdown_rows(bulletin, "channel", titles)
        if month
    ]
    total = bulletin.intake.total
    size = min(100, width * 0.45)
    step = 13
    height = max(size, step * len(rows)) + 30
    drawing = _drawing(width, height)
    _caption(drawing, "本月登记量按信访渠道", font)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 8, (height - 20 - size) / 2, size, size
    pie.data = [count for _title, count in rows]
    pie.labels = None
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.8
    for index in range(len(rows)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(pie)
    legend = Legend()
    legend.x = pie.x + size + 14
    legend.y = (height - 20 + step * len(rows)) / 2
    names = [f"{title} {share_text(count, total)}" for title, count in rows]
    # Swatch and gap take about 16 points; long names get smaller type.
    room = width - legend.x - 16
    widest = max(stringWidth(name, font, 8) for name in names)
    legend.fontName = font
    legend.fontSize = max(5, min(8, 8 * room / widest))
    legend.alignment = "right"
    legend.columnMaximum = len(rows)
    legend.deltay = step
    legend.dx = legend.dy = 7
    legend.dxTextSpace = 5
    legend.colorNamePairs = [
        (PALETTE[index % len(PALETTE)], name) for index, name in enumerate(names)
    ]
    drawing.add(legend)
    return drawing


def ranking_chart(bulletin, titles, width):
    """The units' scores, first at the top (horizontal bars)."""
    font = font_name()
    units = [unit for unit in bulletin.units if unit.score is not None][
        :RANKING_CHART_MAX
    ]
    labels = [f"{unit.rank}. {titles('unit', unit.code)}" for unit in units]
    label_width = max(stringWidth(label, font, 8) for label in labels) + 8
    bar = 13
    height = bar * len(units) + 50
    drawing = _drawing(width, height)
    shown = "" if len(units) == len(bulletin.units) else f"，图示前{len(units)}名"
    _caption(drawing, f"责任单位综合得分{shown}", font)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 22
    chart.width, chart.height = width - label_width - 30, bar * len(units)
    # The category axis runs upwards: the first unit goes last.
    chart.data = [[unit.score for unit in reversed(units)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    _category_labels(chart.categoryAxis, font)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = (
        0,
        100,
        20,
    )
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID_COLOR
    chart.bars[0].fillColor = BAR_COLOR
    chart.bars[0].strokeColor = None
    chart.barWidth = 8
    chart.groupSpacing = 5
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


# -- the document -----------------------------------------------------------


def render_bulletin(
    bulletin, titles, *, bureau="某市信访局", issue_label=None, case_titles=True
):
    """The bulletin as an A4 portrait PDF (bytes).

    ``titles``: ``{dimension: {code: 中文名}}`` for category, channel, unit
    and grade; a code without a title is printed as it is.  ``issue_label``
    defaults to ``2024年第5期``.  Without ``case_titles`` the overdue list
    names no case title (its category instead).
    """
    names = Titles(titles)
    width = content_width(PORTRAIT)
    period = period_text(bulletin.year, bulletin.month)
    issue = issue_label or f"{bulletin.year}年第{bulletin.month}期"
    empty = _text("本月无登记信访事项。", "caption")

    story = [
        paragraph(TITLE, "title"),
        _text(HEADING_GAP.join((issue, bureau, period)), "subtitle"),
        _text(
            f"统计期：{day_text(bulletin.start)}至{day_text(bulletin.end)}{HEADING_GAP}"
            f"统计截至：{day_text(bulletin.today)}",
            "subtitle",
        ),
        spacer(3),
        _section("一、总体情况"),
        _text(summary_text(bulletin, names), "body"),
        _section("二、信访总量"),
        totals_table(bulletin),
        spacer(3),
        intake_chart(bulletin, width),
        _section("三、问题类别"),
        breakdown_table(bulletin, "category", names),
        spacer(3),
        category_chart(bulletin, names, width) if bulletin.received else empty,
        _section("四、信访渠道"),
        channel_block(bulletin, names, width),
        _section("五、信访等级与重复、越级、集体访"),
        breakdown_table(bulletin, "grade", names),
        spacer(3),
        special_table(bulletin),
        _section("六、责任单位登记量"),
        breakdown_table(bulletin, "unit", names, compact=True),
        CondPageBreak(90 * mm),
        _section("七、办理质效"),
        KeepTogether([rates_table(bulletin), spacer(2), *rate_notes()]),
        _section("八、责任单位综合排名"),
    ]
    if bulletin.units:
        story += [
            ranking_chart(bulletin, names, width),
            spacer(3),
            ranking_table(bulletin, names),
            spacer(2),
            score_note(),
        ]
    else:
        story.append(_text("本月无可排名的责任单位。", "caption"))
    story.append(_section("九、超期未办结信访事项"))
    if bulletin.overdue:
        story += [
            _text(
                f"截至{day_text(bulletin.today)}，超期未办结{bulletin.overdue_total}件，"
                "按超期天数从多到少排列。",
                "note",
            ),
            spacer(2),
            overdue_table(bulletin, names, case_titles),
        ]
        if bulletin.overdue_not_listed:
            story.append(
                _text(
                    f"另有{bulletin.overdue_not_listed}件超期未办结事项未列出"
                    f"（本表列超期天数最多的{bulletin.overdue_limit}件）。",
                    "caption",
                )
            )
    else:
        story.append(_text("无超期未办结信访事项。", "caption"))
    story.append(_section("十、矛盾纠纷排查报送与责任追究"))
    story += screening_block(bulletin)
    return build_pdf(story, pagesize=PORTRAIT, title=f"{TITLE} {period}")


# -- dashboard --------------------------------------------------------------


def _tenths(value):
    return None if value is None else value / 10


def _rate_data(rate, name):
    return {
        "label": RATE_TITLES[name],
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "percent": _tenths(rate.tenths),
        "text": rate.text(),
    }


def _intake_data(intake, titles):
    data = {
        "total": intake.total,
        "people": intake.people,
        "repeat": intake.repeat,
        "skip_level": intake.skip_level,
        "collective": intake.collective,
        "collective_people": intake.collective_people,
    }
    for dimension in DIMENSIONS:
        order = titles.order(dimension)
        counts = sorted(
            intake.by(dimension).items(),
            key=lambda item: (-item[1], order.get(item[0], len(order)), item[0]),
        )
        data[f"by_{dimension}"] = [
            {
                "code": code,
                "title": titles(dimension, code),
                "count": count,
                "percent": _tenths(_share_tenths(count, intake.total)),
            }
            for code, count in counts
        ]
    return data


def _share_tenths(count, total):
    return (2000 * count + total) // (2 * total) if total else None


def _change_data(change):
    return {
        "current": change.current,
        "previous": change.previous,
        "percent": _tenths(change.tenths),
        "text": change_text(change),
    }


def dashboard_data(bulletin, titles, *, case_titles=True):
    """The bulletin's figures as JSON-able data (dates in ISO form, percentages
    to one decimal, None where a rate has nothing to count).  Without
    ``case_titles`` the overdue cases carry no ``title``."""
    names = Titles(titles)
    data = _dashboard_data(bulletin, names)
    if not case_titles:
        for case in data["overdue"]["cases"]:
            del case["title"]
    return data


def _dashboard_data(bulletin, names):
    return {
        "period": {
            "year": bulletin.year,
            "month": bulletin.month,
            "label": period_text(bulletin.year, bulletin.month),
            "start": bulletin.start.isoformat(),
            "end": bulletin.end.isoformat(),
            "today": bulletin.today.isoformat(),
        },
        "intake": {
            "month": _intake_data(bulletin.intake, names),
            "year_to_date": _intake_data(bulletin.intake_ytd, names),
        },
        "changes": {
            "month_over_month": _change_data(bulletin.month_over_month),
            "year_over_year": _change_data(bulletin.year_over_year),
        },
        "monthly_intake": [
            {
                "year": year,
                "month": month,
                "label": period_text(year, month),
                "count": count,
            }
            for year, month, count in bulletin.monthly_intake
        ],
        "rates": {
            "month": {
                name: _rate_data(getattr(bulletin.rates, name), name)
                for name in RATE_NAMES
            },
            "year_to_date": {
                name: _rate_data(getattr(bulletin.rates_ytd, name), name)
                for name in RATE_NAMES
            },
        },
        "units": [
            {
                "rank": unit.rank,
                "code": unit.code,
                "title": names("unit", unit.code),
                "received": unit.received,
                "handling_on_time": _rate_data(
                    unit.handling_on_time, "handling_on_time"
                ),
                "satisfaction": _rate_data(unit.satisfaction, "satisfaction"),
                "open": unit.open,
                "overdue": unit.overdue,
                "score": unit.score,
                "screening_on_time": {
                    "percent": _tenths(unit.screening_on_time.tenths),
                    "text": unit.screening_on_time.text(),
                },
                "accountability": unit.accountability,
            }
            for unit in bulletin.units
        ],
        "screening": [
            {
                "period": count.period,
                "deadline": count.deadline.isoformat(),
                "units": count.units,
                "reported": count.reported,
                "zero": count.zero,
                "missing": count.missing,
                "late": count.late,
            }
            for count in bulletin.screening
        ],
        "accountability": bulletin.accountability,
        "overdue": {
            "total": bulletin.overdue_total,
            "limit": bulletin.overdue_limit,
            "not_listed": bulletin.overdue_not_listed,
            "cases": [
                {
                    "uid": case.uid,
                    "registration_number": case.registration_number,
                    "title": case.title,
                    "received": case.received.isoformat(),
                    "unit": case.unit or UNASSIGNED,
                    "unit_title": names("unit", case.unit),
                    "category": case.category,
                    "category_title": names("category", case.category),
                    "state": case.state,
                    "stage": case.stage,
                    "stage_title": STAGE_TITLES.get(case.stage, case.stage),
                    "deadline": case.deadline.isoformat(),
                    "days_overdue": case.days_overdue,
                }
                for case in bulletin.overdue
            ],
        },
    }
