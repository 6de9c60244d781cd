"""The figures of the monthly bulletin of petition work (信访工作月通报).

The figures are computed in one pass over :class:`CaseRow` s, the catalog
metadata of every case (no object is loaded), and need no Plone.  They are
*as of* ``today``, the day the bulletin is made: a bulletin of May made on
3 June counts a reply of 2 June, and its overdue list is the list of 3 June.

Definitions (the bulletin prints them as its 口径说明):

Periods
    本月 the month: the first to the last day of ``year``/``month``.
    本年累计 year to date: 1 January of ``year`` to the last day of the month.
    A case belongs to a period by its date of receipt (``received``), unless
    a figure below says otherwise.

登记量 intake
    Cases received in the period, counted by category, channel, responsible
    unit (cases without a unit under :data:`UNASSIGNED`) and grade; people
    (人次) is the sum of ``people``.  重复访 / 越级访 / 集体访 count the cases
    received in the period with that flag; the people of collective petitions
    are the sum of their ``people``.

环比 / 同比 month-over-month / year-over-year
    The change of this month's intake against the previous month's, and
    against the same month of the previous year: ``(this - that) / that``;
    none when ``that`` is 0.

按期受理率 on-time acceptance
    Among the cases whose acceptance deadline (``accept_due``) falls in the
    period and whose outcome is known (decided, or the deadline is before
    ``today``), the share decided on or before the deadline: the deadline
    day itself is on time.  The decision date is ``accepted_on``, or
    ``rejected_on`` for a case not accepted (不予受理), whatever its state
    now: a rejected case is later closed and filed.  The workflow does not
    date the rejection on the case; the row reader takes the day of the
    reject transition.  A row in the ``rejected`` state without
    ``rejected_on`` falls back to ``closed_on``; a rejected case without a
    date is late.

按期办结率 on-time handling
    Among the cases whose handling deadline (``handle_due``, extension
    included) falls in the period and whose outcome is known (handled, or the
    deadline is before ``today``), the share handled on or before the
    deadline.  A case is handled on ``replied_on`` (the written reply), or on
    ``closed_on`` when it was closed without one (withdrawn, merged).

回复率 reply rate
    Among the same cases (handling due in the period, outcome known), the
    share handled at all by ``today``, on time or late.

处理率 handling rate
    Among the cases accepted (``accepted_on``) in the period, the share
    handled (replied or closed) by ``today``.

满意率 satisfaction
    Among the cases handled in the period (by the handling date above) that
    have a satisfaction answer, the share answering 满意 ``satisfied`` or
    基本满意 ``basically``; any other answer counts as not satisfied.

Every rate is a numerator and a denominator; its percentage is none (printed
"—") when the denominator is 0.

超期 overdue
    Open cases (registered, accepted, in progress, in review or re-review:
    the states with a deadline of the bureau's) whose current ``deadline`` is
    before ``today``; days overdue is ``today - deadline``.  The list is
    sorted by days overdue (most first), then by registration number, and
    kept to the first ``overdue_limit`` (:data:`OVERDUE_LIMIT`) cases; the
    count of all of them is ``overdue_total``.

矛盾纠纷排查 screening reports
    The screening periods whose deadline (``reports/screening.py``) falls in
    the month and has passed by ``today``: per period, the units that
    reported (with disputes), that filed a zero report, that have not
    reported, and that missed the deadline (reported after it, or not at
    all).

责任追究 accountability
    Accountability records decided (the decision date) in the month.

责任单位排名 unit ranking
    Every unit with a case received in the month, a case in the month's
    按期办结率 or 满意率, or an open case with a deadline (cases without a
    unit are not ranked), with a report due in one of the month's screening
    periods, or with an accountability record decided in the month.
    Per unit: cases received in the month, its 按期办结率 and 满意率 of the
    month, its open cases and overdue cases (as of ``today``), its 排查报送及时率
    and accountability records of the month, and the score

        score = (40 × 按期办结率 + 25 × 满意率 + 15 × (100 − 超期占比)
                 + 20 × 排查报送及时率) / 100 − 5 × 责任追究件数

    with rates in percent, 超期占比 the overdue share of the unit's open cases
    (0 when it has none), 排查报送及时率 the share of the month's screening
    periods the unit reported by the deadline, a report after the deadline
    counting half and a missing one nothing, and 责任追究件数 the unit's
    accountability records decided in the month; the score is not below 0.
    A rate a unit has no cases for is replaced by the bureau-wide rate of the
    month (neither rewarding nor punishing it); when the bureau has none
    either, the component is left out and the weights of the rest count
    alone (so is 排查报送及时率 for a unit with no screening period due).
    Units are ranked by score (rounded to 0.01), high first, ties by unit code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from heapq import nsmallest
from xinfang_archive.workflow.states import OPEN_STATES


UNASSIGNED = ""
"""The code under which cases without a responsible unit are counted."""

OVERDUE_LIMIT = 300
"""How many overdue cases the bulletin lists (the rest are counted)."""

SATISFIED = frozenset(("satisfied", "basically"))

# The stage whose deadline an open case is late for, by state (as in
# ``workflow.clocks.current_deadline``).
STAGES = {
    "registered": "accept",
    "accepted": "handle",
    "in_progress": "handle",
    "in_review": "review",
    "in_rereview": "rereview",
}

SCORE_WEIGHTS = {
    "handling_on_time": 40,
    "satisfaction": 25,
    "not_overdue": 15,
    "screening_on_time": 20,
}
ACCOUNTABILITY_PENALTY = 5
"""Points taken off a unit's score per accountability record decided in the month."""

DIMENSIONS = ("category", "channel", "unit", "grade")
RATE_NAMES = (
    "acceptance_on_time",
    "handling_on_time",
    "reply",
    "handling",
    "satisfaction",
)


@dataclass(frozen=True)
class CaseRow:
    """One case, as read from catalog metadata (fast; no object loading)."""

    uid: str
    registration_number: str
    title: str
    received: date
    channel: str
    category: str
    unit: str | None
    grade: str
    flags: frozenset[str]  # "repeat", "skip_level", "collective"
    state: str  # registered accepted rejected in_progress replied in_review in_rereview closed filed
    accepted_on: date | None
    replied_on: date | None
    closed_on: date | None
    deadline: date | None  # current statutory deadline of an open case
    accept_due: date | None
    handle_due: date | None
    satisfaction: str | None  # "satisfied" | "basically" | "dissatisfied" | None
    people: int = 1
    rejected_on: date | None = None  # the day of the reject transition (不予受理)


@dataclass(frozen=True)
class Rate:
    """A rate as numerator and denominator; ``percent`` is None for 0/0."""

    numerator: int = 0
    denominator: int = 0

    @property
    def percent(self):
        if not self.denominator:
            return None
        return 100 * self.numerator / self.denominator

    @property
    def tenths(self):
        """The percentage in tenths, rounded half up exactly (None for 0/0)."""
        if not self.denominator:
            return None
        return (2000 * self.numerator + self.denominator) // (2 * self.denominator)

    def text(self):
        """``93.5%``, or ``—`` when there is nothing to count."""
        return percent_text(self.tenths)


@dataclass(frozen=True)
class Change:
    """This period's count against an earlier one (环比, 同比)."""

    current: int
    previous: int

    @property
    def percent(self):
        if not self.previous:
            return None
        return 100 * (self.current - self.previous) / self.previous

    @property
    def tenths(self):
        """The change in tenths of a percent, rounded half away from zero."""
        if not self.previous:
            return None
        magnitude = abs(self.current - self.previous)
        tenths = (2000 * magnitude + self.previous) // (2 * self.previous)
        return tenths if self.current >= self.previous else -tenths


@dataclass(frozen=True)
class Intake:
    """Cases received in a period (登记量) and their breakdowns."""

    total: int
    people: int
    by_category: dict[str, int]
    by_channel: dict[str, int]
    by_unit: dict[str, int]
    by_grade: dict[str, int]
    repeat: int
    skip_level: int
    collective: int
    collective_people: int

    def by(self, dimension):
        """The counts of one of :data:`DIMENSIONS`."""
        return getattr(self, f"by_{dimension}")


@dataclass(frozen=True)
class Rates:
    """The rates of a period (see the module's definitions)."""

    acceptance_on_time: Rate  # 按期受理率
    handling_on_time: Rate  # 按期办结率
    reply: Rate  # 回复率
    handling: Rate  # 处理率
    satisfaction: Rate  # 满意率


@dataclass(frozen=True)
class UnitFigures:
    """One line of the unit ranking."""

    rank: int
    code: str
    received: int
    handling_on_time: Rate
    satisfaction: Rate
    open: int
    overdue: int
    score: float | None
    screening_on_time: Rate = Rate()  # in half periods: a late report counts 1 of 2
    accountability: int = 0

    @property
    def overdue_share(self):
        return Rate(self.overdue, self.open)


@dataclass(frozen=True)
class ScreeningPeriod:
    """One screening period as ``reports/screening.py`` sees it as of the
    bulletin's day: ``rows`` are ``(unit, status, late)`` with status
    ``reported``, ``zero`` or ``missing``."""

    period: str
    deadline: date
    rows: tuple[tuple[str, str, bool], ...]


@dataclass(frozen=True)
class ScreeningCount:
    """The units of one screening period due in the month, counted."""

    period: str
    deadline: date
    units: int
    reported: int
    zero: int
    missing: int
    late: int


@dataclass(frozen=True)
class Accountability:
    """An accountability record decided (``decided_on``) against ``unit``."""

    unit: str
    decided_on: date


@dataclass(frozen=True)
class OverdueCase:
    """An open case past its deadline."""

    uid: str
    registration_number: str
    title: str
    received: date
    unit: str | None
    category: str
    state: str
    stage: str  # accept, handle, review or rereview
    deadline: date
    days_overdue: int


@dataclass(frozen=True)
class Bulletin:
    """The figures of one month's bulletin."""

    year: int
    month: int
    today: date
    start: date
    end: date
    intake: Intake  # the month
    intake_ytd: Intake  # 1 January to the end of the month
    month_over_month: Change
    year_over_year: Change
    monthly_intake: tuple[
        tuple[int, int, int], ...
    ]  # (year, month, count), last 12 months
    rates: Rates  # the month
    rates_ytd: Rates
    units: tuple[UnitFigures, ...]  # ranked
    overdue: tuple[OverdueCase, ...]  # the first overdue_limit, most overdue first
    overdue_total: int
    overdue_limit: int
    screening: tuple[ScreeningCount, ...] = ()  # the periods due in the month
    accountability: int = 0  # records decided in the month

    @property
    def received(self):
        """Cases received in the month."""
        return self.intake.total

    @property
    def overdue_not_listed(self):
        return self.overdue_total - len(self.overdue)


def percent_text(tenths):
    if tenths is None:
        return "—"
    sign = "-" if tenths < 0 else ""
    tenths = abs(tenths)
    return f"{sign}{tenths // 10}.{tenths % 10}%"


def month_end(year, month):
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


class _IntakeCounter:
    __slots__ = (
        "category",
        "channel",
        "collective",
        "collective_people",
        "grade",
        "people",
        "repeat",
        "skip_level",
        "total",
        "unit",
    )

    def __init__(self):
        self.total = self.people = 0
        self.repeat = self.skip_level = self.collective = self.collective_people = 0
        self.category, self.channel, self.unit, self.grade = {}, {}, {}, {}

    def add(self, row):
        self.total += 1
        people = row.people
        self.people += people
        counts = self.category
        counts[row.category] = counts.get(row.category, 0) + 1
        counts = self.channel
        counts[row.channel] = counts.get(row.channel, 0) + 1
        counts, unit = self.unit, row.unit or UNASSIGNED
        counts[unit] = counts.get(unit, 0) + 1
        counts = self.grade
        counts[row.grade] = counts.get(row.grade, 0) + 1
        flags = row.flags
        if flags:
            if "repeat" in flags:
                self.repeat += 1
            if "skip_level" in flags:
                self.skip_level += 1
            if "collective" in flags:
                self.collective += 1
                self.collective_people += people

    def freeze(self):
        return Intake(
            self.total,
            self.people,
            self.category,
            self.channel,
            self.unit,
            self.grade,
            self.repeat,
            self.skip_level,
            self.collective,
            self.collective_people,
        )


class _RateCounter:
    """Numerators and denominators of the five rates of one period."""

    __slots__ = (
        "a_den",
        "a_num",
        "h_den",
        "h_num",
        "p_den",
        "p_num",
        "r_num",
        "s_den",
        "s_num",
    )

    def __init__(self):
        for name in self.__slots__:
            setattr(self, name, 0)

    def freeze(self):
        return Rates(
            acceptance_on_time=Rate(self.a_num, self.a_den),
            handling_on_time=Rate(self.h_num, self.h_den),
            reply=Rate(self.r_num, self.h_den),
            handling=Rate(self.p_num, self.p_den),
            satisfaction=Rate(self.s_num, self.s_den),
        )


class _UnitCounter:
    __slots__ = (
        "accountability",
        "h_den",
        "h_num",
        "open",
        "overdue",
        "q_den",
        "q_num",
        "received",
        "s_den",
        "s_num",
    )

    def __init__(self):
        for name in self.__slots__:
            setattr(self, name, 0)


def monthly_figures(  # noqa: C901
    rows: Iterable[CaseRow],
    year: int,
    month: int,
    today: date,
    *,
    overdue_limit: int = OVERDUE_LIMIT,
    screening: Iterable[ScreeningPeriod] = (),
    accountability: Iterable[Accountability] = (),
) -> Bulletin:
    """The figures of the bulletin of ``year``/``month`` as of ``today``.

    One pass over ``rows``; only the overdue cases are kept, and only the
    first ``overdue_limit`` of them are ordered.  ``screening``: the screening
    periods (those whose deadline is not in the month, or not passed, are
    left out); ``accountability``: the decided records (those of other months
    are left out).  The definitions are in the module's docstring.
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1 to 12, not {month}")
    start, end, ystart = date(year, month, 1), month_end(year, month), date(year, 1, 1)
    month_key = year * 12 + month - 1
    first_key = month_key - 12  # the same month last year
    window = [0] * 13
    intake, intake_ytd = _IntakeCounter(), _IntakeCounter()
    rates, rates_ytd = _RateCounter(), _RateCounter()
    units = {}
    overdue = []

    def unit_counter(code):
        counter = units.get(code)
        if counter is None:
            counter = units[code] = _UnitCounter()
        return counter

    for row in rows:
        received = row.received
        key = received.year * 12 + received.month - 1
        unit = row.unit
        if first_key <= key <= month_key:
            window[key - first_key] += 1
            if key == month_key:
                intake.add(row)
                intake_ytd.add(row)
                if unit:
                    unit_counter(unit).received += 1
            elif received >= ystart:
                intake_ytd.add(row)

        state = row.state
        handled = row.replied_on or row.closed_on

        due = row.accept_due
        if due is not None and ystart <= due <= end:
            decided = row.accepted_on or row.rejected_on
            if decided is None and state == "rejected":
                decided = row.closed_on
            if decided is not None or due < today:
                on_time = decided is not None and decided <= due
                rates_ytd.a_den += 1
                rates_ytd.a_num += on_time
                if due >= start:
                    rates.a_den += 1
                    rates.a_num += on_time

        due = row.handle_due
        if (
            due is not None
            and ystart <= due <= end
            and (handled is not None or due < today)
        ):
            on_time = handled is not None and handled <= due
            done = handled is not None
            rates_ytd.h_den += 1
            rates_ytd.h_num += on_time
            rates_ytd.r_num += done
            if due >= start:
                rates.h_den += 1
                rates.h_num += on_time
                rates.r_num += done
                if unit:
                    counter = unit_counter(unit)
                    counter.h_den += 1
                    counter.h_num += on_time

        accepted = row.accepted_on
        if accepted is not None and ystart <= accepted <= end:
            done = handled is not None
            rates_ytd.p_den += 1
            rates_ytd.p_num += done
            if accepted >= start:
                rates.p_den += 1
                rates.p_num += done

        answer = row.satisfaction
        if answer and handled is not None and ystart <= handled <= end:
            satisfied = answer in SATISFIED
            rates_ytd.s_den += 1
            rates_ytd.s_num += satisfied
            if handled >= start:
                rates.s_den += 1
                rates.s_num += satisfied
                if unit:
                    counter = unit_counter(unit)
                    counter.s_den += 1
                    counter.s_num += satisfied

        if state in OPEN_STATES:
            deadline = row.deadline
            if deadline is not None:
                late = deadline < today
                if late:
                    overdue.append(row)
                if unit:
                    counter = unit_counter(unit)
                    counter.open += 1
                    counter.overdue += late

    counts = []
    for period in sorted(screening, key=lambda p: (p.deadline, p.period)):
        if not (start <= period.deadline <= end and period.deadline < today):
            continue
        tally = {"reported": 0, "zero": 0, "missing": 0, "late": 0}
        for unit, status, late in period.rows:
            tally[status] += 1
            tally["late"] += bool(late)
            counter = unit_counter(unit)
            counter.q_den += 2
            counter.q_num += 0 if status == "missing" else 1 if late else 2
        counts.append(
            ScreeningCount(period.period, period.deadline, len(period.rows), **tally)
        )
    decided = 0
    for record in accountability:
        if record.unit and start <= record.decided_on <= end:
            decided += 1
            unit_counter(record.unit).accountability += 1

    month_rates = rates.freeze()
    listed = nsmallest(
        overdue_limit,
        overdue,
        key=lambda row: (row.deadline, row.registration_number, row.uid),
    )
    return Bulletin(
        year=year,
        month=month,
        today=today,
        start=start,
        end=end,
        intake=intake.freeze(),
        intake_ytd=intake_ytd.freeze(),
        month_over_month=Change(window[12], window[11]),
        year_over_year=Change(window[12], window[0]),
        monthly_intake=tuple(
            (key // 12, key % 12 + 1, window[key - first_key])
            for key in range(first_key + 1, month_key + 1)
        ),
        rates=month_rates,
        rates_ytd=rates_ytd.freeze(),
        units=_ranking(units, month_rates),
        overdue=tuple(_overdue_case(row, today) for row in listed),
        overdue_total=len(overdue),
        overdue_limit=overdue_limit,
        screening=tuple(counts),
        accountability=decided,
    )


def unit_score(
    handling_on_time,
    satisfaction,
    overdue_share,
    bureau,
    screening_on_time=Rate(),
    accountability=0,
):
    """The ranking score (see the module's docstring); None with no component.

    Each rate is a :class:`Rate`; ``bureau`` is the month's :class:`Rates`,
    whose rates stand in for a unit's missing ones; ``screening_on_time``
    has no stand-in (a unit without a period due leaves it out);
    ``accountability`` is the number of records decided in the month.
    """
    components = (
        (
            SCORE_WEIGHTS["handling_on_time"],
            _percent_or(handling_on_time, bureau.handling_on_time),
        ),
        (SCORE_WEIGHTS["satisfaction"], _percent_or(satisfaction, bureau.satisfaction)),
        (SCORE_WEIGHTS["not_overdue"], 100 - (overdue_share.percent or 0)),
        (SCORE_WEIGHTS["screening_on_time"], screening_on_time.percent),
    )
    present = [(weight, value) for weight, value in components if value is not None]
    weights = sum(weight for weight, _value in present)
    if not weights:
        return None
    score = sum(weight * value for weight, value in present) / weights
    return round(max(score - ACCOUNTABILITY_PENALTY * accountability, 0), 2)


def _percent_or(rate, fallback):
    percent = rate.percent
    return fallback.percent if percent is None else percent


def _ranking(units, bureau):
    lines = []
    for code, counter in units.items():
        handling = Rate(counter.h_num, counter.h_den)
        satisfaction = Rate(counter.s_num, counter.s_den)
        punctuality = Rate(counter.q_num, counter.q_den)
        score = unit_score(
            handling,
            satisfaction,
            Rate(counter.overdue, counter.open),
            bureau,
            punctuality,
            counter.accountability,
        )
        lines.append((code, counter, handling, satisfaction, score))
    lines.sort(key=lambda line: (-(line[4] if line[4] is not None else -1), line[0]))
    return tuple(
        UnitFigures(
            rank=rank,
            code=code,
            received=counter.received,
            handling_on_time=handling,
            satisfaction=satisfaction,
            open=counter.open,
            overdue=counter.overdue,
            score=score,
            screening_on_time=Rate(counter.q_num, counter.q_den),
            accountability=counter.accountability,
        )
        for rank, (code, counter, handling, satisfaction, score) in enumerate(
            lines, start=1
        )
    )


def _overdue_case(row, today):
    return OverdueCase(
        uid=row.uid,
        registration_number=row.registration_number,
        title=row.title,
        received=row.received,
        unit=row.unit,
        category=row.category,
        state=row.state,
        stage=STAGES[row.state],
        deadline=row.deadline,
        days_overdue=(today - row.deadline).days,
    )
