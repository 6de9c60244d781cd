"""The bulletin's figures as Chinese text, as the PDF and the dashboard print
them: periods, days, changes, shares and rates, the summary paragraph and how
the ranking score is made.  Nothing here needs Plone.
"""

from xinfang_archive.localtime import chinese_day
from xinfang_archive.reports.breakdown import breakdown_rows
from xinfang_archive.reports.breakdown import share_tenths
from xinfang_archive.reports.figures import ACCOUNTABILITY_PENALTY
from xinfang_archive.reports.figures import percent_text
from xinfang_archive.reports.figures import SCORE_WEIGHTS
from xinfang_archive.reports.titles import RATE_TITLES


NO_DATA = "—"


def period_text(year, month):
    return f"{year}年{month}月"


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
    return percent_text(share_tenths(count, total))


def rate_cell(rate):
    """``92.3%（12/13）`` or ``—``."""
    if not rate.denominator:
        return NO_DATA
    return f"{rate.text()}（{rate.numerator}/{rate.denominator}）"


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
            f"截至{chinese_day(bulletin.today)}，超期未办结信访事项{bulletin.overdue_total}件，"
            f"涉及{units}个责任单位，最长超期{worst}天，请有关单位对照附表抓紧办理。"
        )
    else:
        sentences.append(f"截至{chinese_day(bulletin.today)}，无超期未办结信访事项。")
    if len(bulletin.units) >= 6:
        first = "、".join(titles("unit", unit.code) for unit in bulletin.units[:3])
        last = "、".join(titles("unit", unit.code) for unit in bulletin.units[-3:])
        sentences.append(f"责任单位综合排名前三位的是{first}，后三位的是{last}。")
    return "".join(sentences)


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
