"""The monthly bulletin of petition work (信访工作月通报) as PDF: its layout.

The bulletin is a document of the bureau, issued in Chinese: its headings and
sentences are Chinese text, as the figures' titles are (the caller passes
``titles``: ``{"category" | "channel" | "unit" | "grade": {code: 中文名}}``,
e.g. from the registry vocabularies).  Nothing here needs Plone.  The
figures come from ``reports.figures``, their wording (titles, text, the
summary) from ``reports.titles`` and ``reports.text``, shared with the
dashboard, whose data is ``reports.dashboard``.

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
from xinfang_archive.localtime import chinese_day
from xinfang_archive.reports.breakdown import breakdown_rows
from xinfang_archive.reports.figures import RATE_NAMES
from xinfang_archive.reports.text import change_text
from xinfang_archive.reports.text import NO_DATA
from xinfang_archive.reports.text import period_text
from xinfang_archive.reports.text import rate_cell
from xinfang_archive.reports.text import score_note_text
from xinfang_archive.reports.text import share_text
from xinfang_archive.reports.text import summary_text
from xinfang_archive.reports.titles import DIMENSION_TITLES
from xinfang_archive.reports.titles import RATE_DEFINITIONS
from xinfang_archive.reports.titles import RATE_NOTE
from xinfang_archive.reports.titles import RATE_TITLES
from xinfang_archive.reports.titles import STAGE_TITLES
from xinfang_archive.reports.titles import Titles
from xml.sax.saxutils import escape


TITLE = "信访工作月通报"
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
            f"统计期：{chinese_day(bulletin.start)}至{chinese_day(bulletin.end)}{HEADING_GAP}"
            f"统计截至：{chinese_day(bulletin.today)}",
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
                f"截至{chinese_day(bulletin.today)}，超期未办结{bulletin.overdue_total}件，"
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
