"""The monthly bulletin (月通报): each figure's definition on hand-built rows,
and the PDF and dashboard data from a large seeded set of rows.

No Plone: the figures come from plain rows, the titles are passed in.
"""

from datetime import date
from datetime import timedelta
from tests.helpers.pdf import A4_PORTRAIT
from tests.helpers.pdf import assert_fonts_embedded
from tests.helpers.pdf import page_sizes
from tests.helpers.pdf import pages_of
from tests.helpers.pdf import pdf_text
from tests.helpers.pdf import squeeze
from xinfang_archive.documents.bulletin import render_bulletin
from xinfang_archive.reports.dashboard import dashboard_data
from xinfang_archive.reports.figures import CaseRow
from xinfang_archive.reports.figures import monthly_figures
from xinfang_archive.reports.figures import Rate
from xinfang_archive.reports.figures import UNASSIGNED
from xinfang_archive.reports.figures import unit_score

import json
import pytest
import random


# -- a realistic spread of cases, seeded ------------------------------------

CATEGORIES = {
    "land": "征地拆迁",
    "labour": "劳动社保",
    "enterprise": "企业改制",
    "welfare": "低保救助",
    "legal": "涉法涉诉",
    "village": "村务财务",
    "discipline": "纪检举报",
    "urban": "城建管理",
    "environment": "环境保护",
    "other": "其他",
}
CATEGORY_WEIGHTS = (22, 18, 4, 9, 8, 11, 5, 12, 7, 4)
CHANNELS = {
    "letter": "来信",
    "visit": "来访",
    "online": "网上信访",
    "hotline": "12345 热线",
    "mailbox": "市长信箱",
    "reception_day": "领导接待日",
    "outreach": "下访/约访",
}
CHANNEL_WEIGHTS = (18, 20, 30, 22, 6, 2, 2)
GRADES = {"early": "苗头", "ordinary": "一般", "key": "重点"}
UNIT_NAMES = (
    "住房和城乡建设局",
    "人力资源和社会保障局",
    "民政局",
    "自然资源和规划局",
    "司法局",
    "生态环境局",
    "纪委监委",
    "公安局",
    "教育局",
    "卫生健康委员会",
    "市场监督管理局",
    "交通运输局",
    "农业农村局",
    "水利局",
    "城市管理综合执法局",
    "国有资产监督管理委员会",
    "城关镇",
    "青山乡",
    "河西镇",
    "东湖街道",
    "西湖街道",
    "南山镇",
    "北港镇",
    "白沙乡",
    "桃源镇",
    "石门乡",
    "龙泉街道",
    "新城街道",
    "高新区管委会",
    "经济开发区管委会",
)
UNITS = {f"U{number:02d}": name for number, name in enumerate(UNIT_NAMES, start=1)}
TITLES = {"category": CATEGORIES, "channel": CHANNELS, "unit": UNITS, "grade": GRADES}
SUBJECTS = (
    "征地补偿款未按时发放",
    "拖欠农民工工资",
    "小区物业收费不透明",
    "低保资格被取消",
    "村集体账目不公开",
    "企业改制职工安置",
    "违章建筑影响采光",
    "养老保险关系转移受阻",
    "工厂夜间噪声扰民",
    "学校周边交通拥堵",
    "关于某某小区物业管理服务质量差、收费标准不透明以及公共维修基金使用情况长期不公开问题的反映",
)
SATISFACTION = ("satisfied", "basically", "dissatisfied", None)
SATISFACTION_WEIGHTS = (55, 20, 10, 15)


def synthetic_rows(n, year, seed, *, month=5):
    """``n`` cases received from January of the year before to a few days past
    the month, with statutory clocks, states and outcomes drawn like a working
    bureau's: most decided and replied in time, some late, some open."""
    rng = random.Random(seed)
    today = date(year, month, 1) + timedelta(days=34)
    first = date(year - 1, 1, 1)
    span = (today - first).days
    units = list(UNITS)
    # Some units are slower than others.
    slowness = {code: rng.uniform(0.6, 1.5) for code in units}
    rows = []
    for number in range(1, n + 1):
        received = first + timedelta(days=rng.randrange(span))
        unit = None if rng.random() < 0.02 else rng.choice(units)
        slow = slowness.get(unit, 1.0)
        flags = set()
        if rng.random() < 0.08:
            flags.add("repeat")
        if rng.random() < 0.03:
            flags.add("skip_level")
        people = 1
        if rng.random() < 0.02:
            flags.add("collective")
            people = rng.randint(5, 60)
        accept_due = received + timedelta(days=15)
        decided = received + timedelta(
            days=min(rng.randint(1, 16), int(rng.randint(1, 15) * slow))
        )
        accepted_on = replied_on = closed_on = deadline = handle_due = satisfaction = (
            None
        )
        if decided > today:
            state, deadline = "registered", accept_due
        elif rng.random() < 0.06:
            state, closed_on = "rejected", decided
        else:
            accepted_on = decided
            handle_due = accepted_on + timedelta(
                days=60 + (30 if rng.random() < 0.1 else 0)
            )
            handled = accepted_on + timedelta(days=int(rng.randint(10, 62) * slow))
            if handled > today:
                state, deadline = (
                    rng.choice(("accepted", "in_progress", "in_progress")),
                    handle_due,
                )
            else:
                replied_on = handled
                satisfaction = rng.choices(SATISFACTION, SATISFACTION_WEIGHTS)[0]
                # A review is asked within 30 days of the reply and answered
                # within 30 more; a re-review likewise after the review.
                review_asked = replied_on + timedelta(days=rng.randint(5, 30))
                roll = rng.random()
                if roll < 0.06 and review_asked <= today < review_asked + timedelta(
                    days=45
                ):
                    state, deadline = "in_review", review_asked + timedelta(days=30)
                elif roll < 0.08 and review_asked + timedelta(
                    days=40
                ) <= today < review_asked + timedelta(days=85):
                    state, deadline = "in_rereview", review_asked + timedelta(days=70)
                elif replied_on + timedelta(days=30) > today:
                    state = "replied"
                else:
                    state = "closed" if rng.random() < 0.4 else "filed"
                    closed_on = replied_on + timedelta(days=30)
        rows.append(
            CaseRow(
                uid=f"uid{number:06d}",
                registration_number=f"XF-{received.year}-{number:06d}",
                title=rng.choice(SUBJECTS),
                received=received,
                channel=rng.choices(list(CHANNELS), CHANNEL_WEIGHTS)[0],
                category=rng.choices(list(CATEGORIES), CATEGORY_WEIGHTS)[0],
                unit=unit,
                grade=rng.choices(list(GRADES), (20, 70, 10))[0],
                flags=frozenset(flags),
                state=state,
                accepted_on=accepted_on,
                replied_on=replied_on,
                closed_on=closed_on,
                deadline=deadline,
                accept_due=accept_due,
                handle_due=handle_due,
                satisfaction=satisfaction,
                people=people,
            )
        )
    return rows, today


# -- hand-built rows --------------------------------------------------------

TODAY = date(2024, 6, 3)  # the May bulletin, made early in June


def case(number=1, **fields):
    data = {
        "uid": f"uid{number}",
        "registration_number": f"XF-2024-{number:06d}",
        "title": "征地补偿款未按时发放",
        "received": date(2024, 5, 10),
        "channel": "letter",
        "category": "land",
        "unit": "U01",
        "grade": "ordinary",
        "flags": frozenset(),
        "state": "registered",
        "accepted_on": None,
        "replied_on": None,
        "closed_on": None,
        "deadline": None,
        "accept_due": None,
        "handle_due": None,
        "satisfaction": None,
        "people": 1,
    }
    data.update(fields)
    return CaseRow(**data)


def may(rows, today=TODAY, **options):
    return monthly_figures(rows, 2024, 5, today, **options)


def fraction(rate):
    return rate.numerator, rate.denominator


def test_intake_by_dimension_for_the_month_and_the_year():
    rows = [
        case(1, channel="visit", category="land", unit="U01", grade="key"),
        case(
            2,
            channel="visit",
            category="labour",
            unit="U02",
            flags=frozenset({"collective", "repeat"}),
            people=12,
        ),
        case(
            3,
            channel="online",
            category="land",
            unit=None,
            flags=frozenset({"skip_level"}),
        ),
        case(
            4, received=date(2024, 5, 31), channel="letter", category="land", unit="U01"
        ),
        case(
            5,
            received=date(2024, 4, 30),
            channel="letter",
            category="welfare",
            unit="U02",
        ),
        case(
            6,
            received=date(2024, 1, 1),
            channel="online",
            category="land",
            unit="U03",
            flags=frozenset({"collective"}),
            people=6,
        ),
        case(7, received=date(2023, 12, 31), category="land"),  # last year
        case(8, received=date(2024, 6, 1), category="land"),  # after the month
    ]
    figures = may(rows)
    month, ytd = figures.intake, figures.intake_ytd
    assert figures.received == month.total == 4
    assert month.people == 15
    assert month.by_category == {"land": 3, "labour": 1}
    assert month.by_channel == {"visit": 2, "online": 1, "letter": 1}
    assert month.by_unit == {"U01": 2, "U02": 1, UNASSIGNED: 1}
    assert month.by_grade == {"key": 1, "ordinary": 3}
    assert (
        month.repeat,
        month.skip_level,
        month.collective,
        month.collective_people,
    ) == (1, 1, 1, 12)
    assert ytd.total == 6 and ytd.people == 22
    assert ytd.by_category == {"land": 4, "labour": 1, "welfare": 1}
    assert ytd.by_unit == {"U01": 2, "U02": 2, "U03": 1, UNASSIGNED: 1}
    assert (ytd.collective, ytd.collective_people) == (2, 18)
    assert (figures.start, figures.end) == (date(2024, 5, 1), date(2024, 5, 31))


def test_month_over_month_and_year_over_year():
    rows = (
        [case(n, received=date(2024, 5, 1 + n)) for n in range(6)]
        + [case(10 + n, received=date(2024, 4, 1 + n)) for n in range(4)]
        + [case(20 + n, received=date(2023, 5, 1 + n)) for n in range(8)]
        + [case(30, received=date(2023, 4, 30))]  # outside the twelve months
    )
    figures = may(rows)
    mom, yoy = figures.month_over_month, figures.year_over_year
    assert (mom.current, mom.previous, mom.percent) == (6, 4, 50.0)
    assert (yoy.current, yoy.previous, yoy.percent) == (6, 8, -25.0)
    assert yoy.tenths == -250
    series = figures.monthly_intake
    assert len(series) == 12
    assert (
        series[0] == (2023, 6, 0)
        and series[-2] == (2024, 4, 4)
        and series[-1] == (2024, 5, 6)
    )
    empty = may([])
    assert (
        empty.month_over_month.percent is None and empty.year_over_year.tenths is None
    )


def test_the_twelve_months_cross_the_year_boundary():
    figures = monthly_figures(
        [case(received=date(2023, 3, 5)), case(2, received=date(2024, 2, 1))],
        2024,
        2,
        date(2024, 3, 1),
    )
    assert [(y, m) for y, m, _n in figures.monthly_intake][:2] == [(2023, 3), (2023, 4)]
    assert figures.monthly_intake[0][2] == 1 and figures.monthly_intake[-1] == (
        2024,
        2,
        1,
    )
    assert figures.year_over_year.previous == 0 and figures.intake_ytd.total == 1


def test_on_time_acceptance():
    due = date(2024, 5, 20)
    rows = [
        case(
            1, accept_due=due, accepted_on=due, state="accepted"
        ),  # the day itself: on time
        case(2, accept_due=due, accepted_on=date(2024, 5, 3), state="in_progress"),
        case(
            3, accept_due=due, accepted_on=date(2024, 5, 21), state="accepted"
        ),  # a day late
        case(
            4, accept_due=due, state="registered", deadline=due
        ),  # undecided, past due: late
        case(
            5, accept_due=due, state="rejected", closed_on=date(2024, 5, 19)
        ),  # rejected in time
        case(6, accept_due=due, state="rejected"),  # rejected, undated: late
        case(
            7, accept_due=date(2024, 4, 30), accepted_on=date(2024, 4, 30)
        ),  # April: year only
        case(
            8, accept_due=date(2024, 6, 1), accepted_on=date(2024, 5, 30)
        ),  # due in June
        case(
            9, accept_due=date(2023, 12, 31), accepted_on=date(2024, 1, 2)
        ),  # last year
    ]
    figures = may(rows)
    assert fraction(figures.rates.acceptance_on_time) == (3, 6)
    assert fraction(figures.rates_ytd.acceptance_on_time) == (4, 7)
    assert figures.rates.acceptance_on_time.text() == "50.0%"


def test_acceptance_not_yet_due_is_left_out_until_its_day_has_passed():
    due = date(2024, 5, 20)
    undecided = case(1, accept_due=due, state="registered", deadline=due)
    early = case(2, accept_due=due, accepted_on=date(2024, 5, 12), state="accepted")
    assert fraction(may([undecided, early], today=due).rates.acceptance_on_time) == (
        1,
        1,
    )
    assert fraction(
        may([undecided, early], today=date(2024, 5, 21)).rates.acceptance_on_time
    ) == (1, 2)


def test_on_time_handling_and_reply_rate():
    due = date(2024, 5, 15)
    accepted = date(2024, 3, 16)
    rows = [
        case(1, handle_due=due, accepted_on=accepted, replied_on=due, state="replied"),
        case(
            2,
            handle_due=due,
            accepted_on=accepted,
            replied_on=date(2024, 5, 16),
            state="replied",
        ),
        case(
            3,
            handle_due=due,
            accepted_on=accepted,
            closed_on=date(2024, 5, 1),
            state="closed",
        ),
        case(
            4, handle_due=due, accepted_on=accepted, state="in_progress", deadline=due
        ),
        case(
            5,
            handle_due=date(2024, 6, 10),
            accepted_on=accepted,
            state="in_progress",
            deadline=date(2024, 6, 10),
        ),  # due in June
        case(
            6,
            handle_due=date(2024, 2, 1),
            accepted_on=date(2023, 12, 3),
            replied_on=date(2024, 1, 30),
            state="closed",
            closed_on=date(2024, 3, 1),
        ),
    ]
    figures = may(rows)
    assert fraction(figures.rates.handling_on_time) == (2, 4)
    assert fraction(figures.rates.reply) == (3, 4)
    assert fraction(figures.rates_ytd.handling_on_time) == (3, 5)
    assert fraction(figures.rates_ytd.reply) == (4, 5)


def test_handling_not_yet_due_counts_once_handled():
    due = date(2024, 5, 30)
    open_case = case(
        1,
        handle_due=due,
        accepted_on=date(2024, 3, 31),
        state="in_progress",
        deadline=due,
    )
    replied = case(
        2,
        handle_due=due,
        accepted_on=date(2024, 3, 31),
        replied_on=date(2024, 5, 2),
        state="replied",
    )
    figures = may([open_case, replied], today=date(2024, 5, 20))
    assert fraction(figures.rates.handling_on_time) == (1, 1)
    assert fraction(figures.rates.reply) == (1, 1)


def test_handling_rate_of_the_cases_accepted_in_the_period():
    rows = [
        case(
            1,
            accepted_on=date(2024, 5, 2),
            replied_on=date(2024, 5, 30),
            state="replied",
        ),
        case(
            2, accepted_on=date(2024, 5, 3), closed_on=date(2024, 5, 20), state="closed"
        ),
        case(3, accepted_on=date(2024, 5, 31), state="accepted"),
        case(4, accepted_on=date(2024, 2, 1), state="in_progress"),  # year to date only
        case(
            5, accepted_on=date(2024, 6, 1), replied_on=date(2024, 6, 2)
        ),  # after the month
        case(6, state="rejected", closed_on=date(2024, 5, 5)),  # never accepted
    ]
    figures = may(rows)
    assert fraction(figures.rates.handling) == (2, 3)
    assert figures.rates.handling.text() == "66.7%"
    assert fraction(figures.rates_ytd.handling) == (2, 4)


def test_satisfaction_among_the_answers_of_cases_handled_in_the_period():
    handled = date(2024, 5, 20)
    rows = [
        case(1, replied_on=handled, satisfaction="satisfied"),
        case(2, replied_on=handled, satisfaction="basically"),
        case(3, replied_on=handled, satisfaction="unsatisfied"),
        case(4, closed_on=handled, satisfaction="dissatisfied"),  # the registry's code
        case(5, replied_on=handled, satisfaction=None),  # no answer: left out
        case(
            6, replied_on=date(2024, 4, 1), satisfaction="satisfied"
        ),  # year to date only
        case(7, satisfaction="satisfied"),  # not handled: left out
    ]
    figures = may(rows)
    assert fraction(figures.rates.satisfaction) == (2, 4)
    assert fraction(figures.rates_ytd.satisfaction) == (3, 5)


def test_zero_denominators_have_no_percentage():
    figures = may([case()])
    for name in (
        "acceptance_on_time",
        "handling_on_time",
        "reply",
        "handling",
        "satisfaction",
    ):
        rate = getattr(figures.rates, name)
        assert fraction(rate) == (0, 0)
        assert rate.percent is None and rate.tenths is None and rate.text() == "—"


def test_rate_rounding_is_exact_half_up():
    assert Rate(1, 8).text() == "12.5%"
    assert Rate(1, 2000).text() == "0.1%"  # 0.05 %
    assert Rate(1, 3).text() == "33.3%"
    assert Rate(5, 5).text() == "100.0%"
    assert Rate(0, 7).text() == "0.0%"


def test_overdue_list_sorted_with_days_and_open_states_only():
    rows = [
        case(1, state="registered", deadline=date(2024, 5, 25)),
        case(2, state="in_progress", deadline=date(2024, 4, 3)),
        case(3, state="in_review", deadline=date(2024, 6, 2)),
        case(4, state="in_progress", deadline=TODAY),  # due today: not overdue
        case(5, state="closed", deadline=date(2024, 1, 1)),  # not open
        case(
            6, state="replied", deadline=date(2024, 1, 1)
        ),  # no deadline of the bureau's
        case(7, state="in_rereview", deadline=date(2024, 4, 3)),  # ties with 2
        case(8, state="accepted", deadline=None),
    ]
    figures = may(rows)
    assert figures.overdue_total == 4
    listed = [
        (c.registration_number[-1], c.days_overdue, c.stage) for c in figures.overdue
    ]
    assert listed == [
        ("2", 61, "handle"),
        ("7", 61, "rereview"),
        ("1", 9, "accept"),
        ("3", 1, "review"),
    ]
    assert figures.overdue_not_listed == 0


def test_overdue_list_is_capped():
    rows = [
        case(n, state="in_progress", deadline=date(2024, 5, 1) + timedelta(days=n % 30))
        for n in range(1, 321)
    ]
    figures = may(rows)
    assert figures.overdue_total == 320 and len(figures.overdue) == 300
    assert figures.overdue_not_listed == 20
    days = [c.days_overdue for c in figures.overdue]
    assert days == sorted(days, reverse=True) and days[0] == 33
    small = may(rows, overdue_limit=5)
    assert [c.registration_number for c in small.overdue] == [
        f"XF-2024-{n:06d}" for n in (30, 60, 90, 120, 150)
    ]
    assert small.overdue_not_listed == 315


def test_unit_ranking_scores_and_order():
    due, handled = date(2024, 5, 20), date(2024, 5, 18)
    rows = [
        # No screening period is due: its weight is left out, the rest count alone (of 80).
        # B: on time 1/2, satisfied 2/2, nothing open: (40×50 + 25×100 + 15×100) / 80 = 75.
        case(1, unit="B", handle_due=due, replied_on=handled, satisfaction="satisfied"),
        case(
            2,
            unit="B",
            handle_due=due,
            replied_on=date(2024, 5, 22),
            satisfaction="basically",
            received=date(2024, 3, 1),
        ),
        # A: on time 2/2, satisfied 1/2, open 2 of which 1 overdue: (4000 + 1250 + 750) / 80 = 75.
        case(3, unit="A", handle_due=due, replied_on=handled, satisfaction="satisfied"),
        case(4, unit="A", handle_due=due, replied_on=due, satisfaction="unsatisfied"),
        case(5, unit="A", state="in_progress", deadline=date(2024, 6, 1)),
        case(6, unit="A", state="in_progress", deadline=date(2024, 6, 30)),
        # C: nothing due, no answer: the bureau's 3/4 and 3/4 stand in: (3000 + 1875 + 1500) / 80.
        case(7, unit="C", state="registered", deadline=date(2024, 6, 9)),
        case(
            8, unit=None, state="in_progress", deadline=date(2024, 5, 1)
        ),  # not ranked
    ]
    figures = may(rows)
    assert [(u.rank, u.code, u.score) for u in figures.units] == [
        (1, "C", 79.69),
        (2, "A", 75.0),
        (3, "B", 75.0),
    ]
    a = figures.units[1]
    assert (a.received, a.open, a.overdue) == (4, 2, 1)
    assert fraction(a.handling_on_time) == (2, 2) and fraction(a.satisfaction) == (1, 2)
    assert fraction(figures.units[2].handling_on_time) == (1, 2)
    assert figures.units[2].received == 1


def test_unit_score_without_bureau_rates_uses_the_overdue_share_alone():
    none = may([]).rates
    assert unit_score(Rate(), Rate(), Rate(1, 4), none) == 75.0
    assert unit_score(Rate(1, 2), Rate(), Rate(), none) == round(
        (40 * 50 + 15 * 100) / 55, 2
    )


def test_screening_punctuality_and_accountability_count_in_the_score():
    """Screening periods due in May (deadline passed by 3 June): A reported
    both on time, B one late and one zero report on time, C missed both; C
    also has two accountability records decided in May (one in April does not
    count)."""
    from xinfang_archive.reports.figures import Accountability
    from xinfang_archive.reports.figures import ScreeningPeriod

    due, handled = date(2024, 5, 20), date(2024, 5, 18)
    rows = [
        case(n, unit=unit, handle_due=due, replied_on=handled, satisfaction="satisfied")
        for n, unit in enumerate("ABC", start=1)
    ]
    periods = [
        ScreeningPeriod(
            "2024-04",
            date(2024, 5, 5),
            (("A", "reported", False), ("B", "reported", True), ("C", "missing", True)),
        ),
        ScreeningPeriod(
            "2024-Q1",
            date(2024, 5, 10),
            (("A", "zero", False), ("B", "zero", False), ("C", "missing", True)),
        ),
        ScreeningPeriod(
            "2024-05", date(2024, 6, 5), (("A", "missing", False),)
        ),  # not due yet
        ScreeningPeriod(
            "2024-03", date(2024, 4, 5), (("A", "missing", True),)
        ),  # due in April
    ]
    records = [
        Accountability("C", date(2024, 5, 6)),
        Accountability("C", date(2024, 5, 31)),
        Accountability("C", date(2024, 4, 30)),
    ]
    figures = may(rows, screening=periods, accountability=records)
    units = {unit.code: unit for unit in figures.units}
    # Handling, satisfaction and not-overdue are 100 for all: 80 points of 100.
    assert units["A"].score == 100.0  # (8000 + 20×100) / 100
    assert fraction(units["B"].screening_on_time) == (
        3,
        4,
    )  # in half periods: late counts half
    assert units["B"].score == 95.0  # (8000 + 20×75) / 100
    assert units["C"].screening_on_time.percent == 0 and units["C"].accountability == 2
    assert units["C"].score == 80.0 - 2 * 5  # (8000 + 0) / 100 − 5 × 2
    assert [unit.code for unit in figures.units] == ["A", "B", "C"]
    assert [
        (c.period, c.units, c.reported, c.zero, c.missing, c.late)
        for c in figures.screening
    ] == [("2024-04", 3, 2, 0, 1, 2), ("2024-Q1", 3, 0, 2, 1, 1)]
    assert figures.accountability == 2
    # Without the new terms the ranking would differ: they count.
    plain = may(rows)
    assert {unit.score for unit in plain.units} == {100.0}


def test_unit_score_terms():
    none = may([]).rates
    assert unit_score(Rate(1, 1), Rate(1, 1), Rate(), none, Rate(1, 2)) == 90.0
    assert (
        unit_score(Rate(1, 1), Rate(1, 1), Rate(), none, Rate(), accountability=1)
        == 95.0
    )
    assert (
        unit_score(Rate(), Rate(), Rate(1, 1), none, Rate(0, 2), accountability=3) == 0
    )  # not below 0


def test_the_score_note_writes_the_formula():
    from xinfang_archive.reports.text import score_note_text

    note = score_note_text()
    assert (
        "综合得分＝（40×按期办结率＋25×满意率＋15×（100－超期占比）＋20×排查报送及时率）÷100－5×责任追究件数"
        in note
    )
    assert "逾期报送的按半期计" in note and "未报送的不计" in note


# -- the PDF and the dashboard data -----------------------------------------


def small_set():
    due = date(2024, 5, 20)
    return [
        case(
            1,
            unit="U01",
            category="land",
            channel="visit",
            accept_due=date(2024, 5, 25),
            accepted_on=date(2024, 5, 12),
            handle_due=due,
            replied_on=due,
            state="replied",
            satisfaction="satisfied",
        ),
        case(
            2,
            unit="U17",
            category="labour",
            channel="hotline",
            state="in_progress",
            accepted_on=date(2024, 3, 1),
            handle_due=date(2024, 4, 30),
            deadline=date(2024, 4, 30),
            title="拖欠农民工工资三个月未发放",
        ),
        case(
            3,
            unit="U02",
            category="land",
            channel="online",
            grade="key",
            flags=frozenset({"collective"}),
            people=23,
        ),
    ]


def test_bulletin_pdf_of_a_small_month():
    figures = may(small_set())
    pdf = render_bulletin(figures, TITLES, bureau="城西县信访局", issue_label="第五期")
    assert page_sizes(pdf) == [A4_PORTRAIT] * len(pages_of(pdf))
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    for value in (
        "信访工作月通报",
        "城西县信访局",
        "第五期",
        "2024年5月",
        "统计期：2024年5月1日至2024年5月31日",
        "统计截至：2024年6月3日",
        "一、总体情况",
        "三、问题类别",
        "七、办理质效",
        "八、责任单位综合排名",
        "九、超期未办结信访事项",
        "按期受理率",
        "满意率",
        "2024年5月，共登记信访事项3件、涉及25人次",
        "集体访1批23人次",
        "住房和城乡建设局",
        "城关镇",
        "征地拆迁",
        "12345热线",
        "重点",
        "拖欠农民工工资三个月未发放",
        "XF-2024-000002",
        "2024-04-30",
        "100.0%（1/1）",
        "超期未办结信访事项1件",
    ):
        assert squeeze(value) in text, value
    assert "另有" not in text


def test_charts_label_in_the_embedded_cjk_font():
    from reportlab.graphics import renderPDF
    from xinfang_archive.documents import bulletin

    figures = may(small_set())
    names = bulletin.Titles(TITLES)
    charts = {
        "intake": bulletin.intake_chart(figures, 500),
        "category": bulletin.category_chart(figures, names, 500),
        "channel": bulletin.channel_chart(figures, names, 220),
        "ranking": bulletin.ranking_chart(figures, names, 500),
    }
    expected = {
        "intake": ("近12个月登记量", "6月", "5月"),
        "category": ("征地拆迁", "劳动社保"),
        "channel": ("来访", "12345热线", "网上信访"),
        "ranking": ("住房和城乡建设局", "城关镇", "人力资源和社会保障局"),
    }
    for name, drawing in charts.items():
        pdf = renderPDF.drawToString(drawing)
        assert_fonts_embedded(pdf)  # no Helvetica anywhere in a chart
        text = pdf_text(pdf)
        for label in expected[name]:
            assert squeeze(label) in text, (name, label)


def test_category_labels_turn_when_they_do_not_fit():
    from xinfang_archive.documents import bulletin

    long_titles = dict(
        TITLES, category={code: title * 3 for code, title in CATEGORIES.items()}
    )
    rows = [case(n, category=code) for n, code in enumerate(CATEGORIES)]
    figures = may(rows)
    narrow = bulletin.category_chart(figures, bulletin.Titles(long_titles), 500)
    chart = narrow.contents[-1]
    assert chart.categoryAxis.labels.angle == 35
    # The labels have room below the axis: the drawing grew by it.
    assert (
        narrow.height
        > bulletin.category_chart(figures, bulletin.Titles(TITLES), 500).height
    )


def test_empty_month_still_makes_a_bulletin():
    pdf = render_bulletin(may([]), {})
    assert_fonts_embedded(pdf)
    text = pdf_text(pdf)
    assert "本月无登记信访事项" in text and "无超期未办结信访事项" in text
    assert "—" in text


@pytest.fixture(scope="module")
def large():
    rows, today = synthetic_rows(100_000, 2024, seed=20240531)
    figures = monthly_figures(rows, 2024, 5, today)
    return figures, render_bulletin(figures, TITLES)


def test_large_bulletin_flows_over_pages(large):
    figures, pdf = large
    pages = pages_of(pdf)
    assert 8 <= len(pages) <= 16
    assert page_sizes(pdf) == [A4_PORTRAIT] * len(pages)
    assert_fonts_embedded(pdf)
    assert figures.overdue_total > 300 and len(figures.overdue) == 300
    texts = [squeeze(page.extract_text()) for page in pages]
    whole = "".join(texts)
    for title in UNITS.values():
        assert title in whole
    first_overdue = next(
        i for i, text in enumerate(texts) if "九、超期未办结信访事项" in text
    )
    # The list's header row repeats on every page it flows over.
    assert all(
        "登记编号" in text and "超期天数" in text for text in texts[first_overdue:]
    )
    assert f"另有{figures.overdue_total - 300}件超期未办结事项未列出" in texts[-1]
    assert figures.overdue[-1].registration_number in texts[-1]
    assert f"共登记信访事项{figures.received}件" in texts[0]
    assert str(len(pages)) in texts[-1]  # page n of n


def test_dashboard_data_is_json_and_matches_the_figures(large):
    figures, _pdf = large
    data = json.loads(json.dumps(dashboard_data(figures, TITLES)))
    assert data["period"] == {
        "year": 2024,
        "month": 5,
        "label": "2024年5月",
        "start": "2024-05-01",
        "end": "2024-05-31",
        "today": figures.today.isoformat(),
    }
    month = data["intake"]["month"]
    assert month["total"] == figures.received
    assert sum(item["count"] for item in month["by_category"]) == figures.received
    counts = [item["count"] for item in month["by_unit"]]
    assert counts == sorted(counts, reverse=True)
    assert {item["title"] for item in month["by_unit"]} <= set(UNITS.values()) | {
        "未交办"
    }
    rate = data["rates"]["month"]["satisfaction"]
    assert (rate["numerator"], rate["denominator"]) == fraction(
        figures.rates.satisfaction
    )
    assert rate["percent"] == round(figures.rates.satisfaction.percent, 1)
    assert rate["label"] == "满意率"
    assert [unit["code"] for unit in data["units"]] == [
        unit.code for unit in figures.units
    ]
    assert len(data["units"]) == 30
    assert data["monthly_intake"][-1]["count"] == figures.received
    overdue = data["overdue"]
    assert overdue["total"] == figures.overdue_total and len(overdue["cases"]) == 300
    assert overdue["cases"][0]["days_overdue"] == figures.overdue[0].days_overdue
    assert (
        data["changes"]["month_over_month"]["previous"]
        == figures.month_over_month.previous
    )


def test_dashboard_data_of_an_empty_month():
    data = dashboard_data(may([]), {})
    json.dumps(data)
    assert data["rates"]["month"]["reply"] == {
        "label": "回复率",
        "numerator": 0,
        "denominator": 0,
        "percent": None,
        "text": "—",
    }
    assert data["changes"]["year_over_year"]["percent"] is None
    assert data["units"] == [] and data["overdue"]["cases"] == []


def test_bulletin_pdf_counts_the_screening_periods_and_accountability():
    from xinfang_archive.reports.figures import Accountability
    from xinfang_archive.reports.figures import ScreeningPeriod

    periods = [
        ScreeningPeriod(
            "2024-04",
            date(2024, 5, 5),
            (
                ("U01", "reported", False),
                ("U02", "zero", False),
                ("U17", "missing", True),
            ),
        )
    ]
    figures = may(
        small_set(),
        screening=periods,
        accountability=[Accountability("U17", date(2024, 5, 9))],
    )
    text = pdf_text(render_bulletin(figures, TITLES))
    for value in (
        "十、矛盾纠纷排查报送与责任追究",
        "报告期",
        "2024-04",
        "2024-05-05",
        "零报告",
        "逾期（含未报）",
        "本月作出责任追究决定1件",
        "排查报送及时率",
        "20×排查报送及时率",
        "5×责任追究件数",
    ):
        assert squeeze(value) in text, value
    data = dashboard_data(figures, TITLES)
    assert data["screening"] == [
        {
            "period": "2024-04",
            "deadline": "2024-05-05",
            "units": 3,
            "reported": 1,
            "zero": 1,
            "missing": 1,
            "late": 1,
        }
    ]
    assert data["accountability"] == 1
    u17 = next(unit for unit in data["units"] if unit["code"] == "U17")
    assert u17["accountability"] == 1 and u17["screening_on_time"]["percent"] == 0.0
