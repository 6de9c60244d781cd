"""The rules of early warning, read from the registry (``settings.py``) and
checked: a rule the control panel would save must parse here, and every
problem is named with its line in a translatable message.

``parse_all`` checks the five lists together (rule ids are unique across
kinds: a warning names its rule by id); ``current_rules`` reads what is
saved and leaves out, with a log entry, lines that would not parse (a
registry written by hand), so that evaluation never fails a registration.
"""

from dataclasses import dataclass
from datetime import date
from xinfang_archive import _
from xinfang_archive.earlywarning.settings import PREFIX
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines

import logging
import re


logger = logging.getLogger("xinfang_archive.earlywarning")

COLLECTIVE = "collective"
REPEAT = "repeat"
SURGE = "surge"
SENSITIVE = "sensitive"
KINDS = (COLLECTIVE, REPEAT, SURGE, SENSITIVE)
FIELDS = {
    COLLECTIVE: "collective_rules",
    REPEAT: "repeat_rules",
    SURGE: "surge_rules",
    SENSITIVE: "sensitive_rules",
}
PERIODS_FIELD = "sensitive_periods"
FORMATS = {
    COLLECTIVE: "id|标题|人数",
    REPEAT: "id|标题|petitioner 或 matter|天数",
    SURGE: "id|标题|category 或 unit|代码 或 *|件数|天数",
    SENSITIVE: "id|标题",
    PERIODS_FIELD: "名称|YYYY-MM-DD|YYYY-MM-DD",
}
COLUMNS = {COLLECTIVE: 3, REPEAT: 4, SURGE: 6, SENSITIVE: 2}
REPEAT_KEYS = ("petitioner", "matter")
SURGE_DIMENSIONS = ("category", "unit")
ANY = "*"
MAX_DAYS = 3660
MAX_COUNT = 1_000_000
_ID = re.compile(r"^[A-Za-z0-9_\-]{1,60}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title: str
    enabled: bool = True
    threshold: int = 0  # people (collective), cases (surge)
    days: int = 0  # the window of a repeat or a surge
    key: str = ""  # repeat: petitioner or matter
    dimension: str = ""  # surge: category or unit
    value: str = ANY  # surge: the code watched, or * for each


@dataclass(frozen=True)
class Period:
    name: str
    start: date
    end: date

    def holds(self, day):
        return day is not None and self.start <= day <= self.end


class RuleError(ValueError):
    """A line that is not a valid rule: ``message`` says why (translatable)."""

    def __init__(self, line, problem):
        super().__init__(line)
        self.line = line
        self.problem = problem

    @property
    def message(self):
        return _(
            "Line “${line}”: ${problem}",
            mapping={"line": self.line, "problem": self.problem},
        )


def _columns(line, expected):
    """The columns of ``line`` and whether the rule is on (a last ``off``
    column disables it; trailing empty columns are dropped)."""
    parts = [part.strip() for part in line.split("|")]
    while len(parts) > expected and not parts[-1]:
        parts.pop()
    enabled = True
    if len(parts) == expected + 1 and parts[-1].lower() in ("on", "off"):
        enabled = parts.pop().lower() == "on"
    return parts, enabled


def _count(line, text, problem):
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise RuleError(line, problem) from None
    if value < 1 or value > MAX_COUNT:
        raise RuleError(line, problem)
    return value


def _days(line, text):
    problem = _(
        "the number of days must be a whole number from 1 to ${max}.",
        mapping={"max": MAX_DAYS},
    )
    value = _count(line, text, problem)
    if value > MAX_DAYS:
        raise RuleError(line, problem)
    return value


def parse_rule(kind, line, known=None):
    """One ``Rule`` of ``kind`` from ``line``; ``known`` maps category and
    unit to their codes (checked when given)."""
    parts, enabled = _columns(line, COLUMNS[kind])
    if len(parts) != COLUMNS[kind]:
        raise RuleError(
            line,
            _(
                "write it as ${format} (add |off to disable it).",
                mapping={"format": FORMATS[kind]},
            ),
        )
    rule_id, title = parts[0], parts[1]
    if not _ID.match(rule_id):
        raise RuleError(line, _("the id is made of letters, digits, - or _."))
    if not title:
        raise RuleError(line, _("the rule needs a title."))
    if kind == COLLECTIVE:
        people = _count(
            line, parts[2], _("the number of people must be a positive whole number.")
        )
        return Rule(rule_id, kind, title, enabled, threshold=people)
    if kind == REPEAT:
        if parts[2] not in REPEAT_KEYS:
            raise RuleError(
                line,
                _(
                    "the third column is petitioner (the same petitioner) or matter (the same matter)."
                ),
            )
        return Rule(
            rule_id, kind, title, enabled, key=parts[2], days=_days(line, parts[3])
        )
    if kind == SURGE:
        dimension, value = parts[2], parts[3] or ANY
        if dimension not in SURGE_DIMENSIONS:
            raise RuleError(line, _("the third column is category or unit."))
        if known is not None and value != ANY and value not in known.get(dimension, ()):
            problem = (
                _(
                    "there is no category with the code ${code}.",
                    mapping={"code": value},
                )
                if dimension == "category"
                else _(
                    "there is no unit with the code ${code}.", mapping={"code": value}
                )
            )
            raise RuleError(line, problem)
        cases = _count(
            line, parts[4], _("the number of cases must be a positive whole number.")
        )
        return Rule(
            rule_id,
            kind,
            title,
            enabled,
            threshold=cases,
            dimension=dimension,
            value=value,
            days=_days(line, parts[5]),
        )
    return Rule(rule_id, kind, title, enabled)


def _day(line, text):
    if not _DAY.match(text or ""):
        raise RuleError(line, _("write the days as YYYY-MM-DD, e.g. 2027-03-05."))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleError(
            line, _("${day} is not a day of the calendar.", mapping={"day": text})
        ) from None


def parse_period(line):
    parts = [part.strip() for part in line.split("|")]
    if len(parts) != 3 or not parts[0]:
        raise RuleError(
            line,
            _("write it as ${format}.", mapping={"format": FORMATS[PERIODS_FIELD]}),
        )
    start, end = _day(line, parts[1]), _day(line, parts[2])
    if end < start:
        raise RuleError(line, _("the last day is before the first day."))
    return Period(parts[0], start, end)


def known_codes():
    """{"category": codes, "unit": codes} of the registry's lists."""
    return {
        "category": {row[0] for row in parse_lines(registry_lines("categories"))},
        "unit": {row[0] for row in parse_lines(registry_lines("units"))},
    }


def _nonblank(lines):
    return [line for line in lines or () if line and line.strip()]


def parse_kind(kind, lines, known=None):
    rules, seen = [], set()
    for line in _nonblank(lines):
        rule = parse_rule(kind, line, known)
        if rule.id in seen:
            raise RuleError(
                line,
                _("the id ${id} is used by another rule.", mapping={"id": rule.id}),
            )
        seen.add(rule.id)
        rules.append(rule)
    return rules


def parse_periods(lines):
    return [parse_period(line) for line in _nonblank(lines)]


def parse_all(values, known=None):
    """``(rules, periods)`` of the settings ``values`` ({field: lines});
    RuleError on the first problem, ids unique across kinds."""
    known = known_codes() if known is None else known
    rules, seen = [], {}
    for kind in KINDS:
        for rule in parse_kind(kind, values.get(FIELDS[kind]), known):
            if rule.id in seen:
                line = next(
                    line
                    for line in _nonblank(values.get(FIELDS[kind]))
                    if line.split("|")[0].strip() == rule.id
                )
                raise RuleError(
                    line,
                    _("the id ${id} is used by another rule.", mapping={"id": rule.id}),
                )
            seen[rule.id] = rule
            rules.append(rule)
    return rules, parse_periods(values.get(PERIODS_FIELD))


def current_rules():
    """``(enabled rules, periods)`` as saved; lines that do not parse are left out."""
    from plone.registry.interfaces import IRegistry
    from zope.component import queryUtility

    registry = queryUtility(IRegistry)
    if registry is None:
        return [], []
    rules, periods, seen = [], [], set()
    for kind in KINDS:
        for line in _nonblank(registry.get(f"{PREFIX}.{FIELDS[kind]}", None)):
            try:
                rule = parse_rule(kind, line)
            except RuleError:
                logger.warning(
                    "Early warning rule left out (it does not parse): %s", line
                )
                continue
            if rule.enabled and rule.id not in seen:
                seen.add(rule.id)
                rules.append(rule)
    for line in _nonblank(registry.get(f"{PREFIX}.{PERIODS_FIELD}", None)):
        try:
            periods.append(parse_period(line))
        except RuleError:
            logger.warning("Sensitive period left out (it does not parse): %s", line)
    return rules, periods


def rule_titles():
    """{rule id: title} of every rule saved (disabled ones too), for lists and filters."""
    from plone.registry.interfaces import IRegistry
    from zope.component import queryUtility

    registry = queryUtility(IRegistry)
    titles = {}
    for kind in KINDS:
        for line in _nonblank(
            registry.get(f"{PREFIX}.{FIELDS[kind]}", None)
            if registry is not None
            else ()
        ):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > 1 and parts[0]:
                titles.setdefault(parts[0], parts[1])
    return titles
