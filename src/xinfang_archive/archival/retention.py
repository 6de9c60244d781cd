"""The retention schedule: which 保管期限 a case file is kept for, and until when.

A rule is ``conditions|period|note``.  Conditions are ``key=value[,value…]``
terms joined by ``&``; a term holds when the case has one of the values for
the key; a rule holds when all its terms hold.  ``*`` marks the default rule.

Of the rules that hold, the longest period wins (从长: when two rules apply,
the record is kept for the longer period); the default rule applies only
when no other rule holds.  The order of the lines therefore does not matter.

Retention runs from 1 January of the year after the filing year (年度): a
2024 file kept 10 years is due for appraisal on 2035-01-01.  Permanent
records are never due.
"""

from dataclasses import dataclass
from datetime import date
from xinfang_archive import _
from xinfang_archive.accountability.filing import decided_measures
from xinfang_archive.archival.records import RECORD_KEYS
from xinfang_archive.archival.settings import filing_settings
from xinfang_archive.receptions.filing import reception_facts
from xinfang_archive.vocabularies.fixed import ACCOUNTABILITY_MEASURES
from xinfang_archive.vocabularies.fixed import CASE_FLAGS
from xinfang_archive.vocabularies.fixed import MEETING_KINDS
from xinfang_archive.vocabularies.fixed import PERIODS
from xinfang_archive.vocabularies.fixed import REPLY_KINDS
from xinfang_archive.vocabularies.registry import titles


STAGES = {
    "rejected": _("Not accepted"),
    "review": _("Reviewed (复查)"),
    "rereview": _("Re-reviewed (复核)"),
}
KEYS = (
    "category",
    "grade",
    "flag",
    "channel",
    "unit",
    "outcome",
    "stage",
    "kind",
    "meeting",
    "reception",
    "accountability",
    "record",
)
KEY_TITLES = {
    "category": _("Category"),
    "grade": _("Grade"),
    "flag": _("Flags"),
    "channel": _("Channel"),
    "unit": _("Responsible unit"),
    "outcome": _("Outcome"),
    "stage": _("Stage reached"),
    "kind": _("Document kind"),
    "record": _("Record type"),  # the records filed on their own (archival/records.py)
    "meeting": _("Decided at a meeting"),
    "reception": _("Leader's reception day"),
    "accountability": _("Accountability measure"),
}
RECEPTION_FACTS = {
    "received": _("Received at a leader's reception day"),
    "instructed": _("With the leader's instructions"),
}
DEFAULT = "*"


class RuleError(ValueError):
    """A schedule line that cannot be used; ``message`` is translatable."""

    def __init__(self, line, message):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Rule:
    terms: tuple  # ((key, frozenset(values)), …); empty for the default rule
    period: str
    note: str
    line: str

    @property
    def is_default(self):
        return not self.terms

    def holds(self, facts):
        return all(facts.get(key, frozenset()) & values for key, values in self.terms)


def rank(period):
    """Longer periods rank higher (Y > D30 > D10)."""
    return {"D10": 1, "D30": 2, "Y": 3}.get(period, 0)


def known_values():
    """``{key: {code: title}}`` of the values a condition may name."""
    return {
        "category": titles("categories"),
        "grade": titles("grades"),
        "flag": dict(CASE_FLAGS),
        "channel": titles("channels"),
        "unit": titles("units"),
        "outcome": titles("outcomes"),
        "stage": dict(STAGES),
        "kind": {**dict(REPLY_KINDS), **titles("document_kinds")},
        "record": dict(RECORD_KEYS),
        "meeting": dict(MEETING_KINDS),
        "reception": dict(RECEPTION_FACTS),
        "accountability": dict(ACCOUNTABILITY_MEASURES),
    }


def parse_rule(line, known=None):
    parts = [part.strip() for part in line.split("|")]
    if len(parts) < 2 or not parts[0]:
        raise RuleError(line, _("A rule is conditions|period|note."))
    conditions, period = parts[0], parts[1]
    note = "|".join(parts[2:]).strip()
    if period not in PERIODS:
        raise RuleError(
            line,
            _(
                "Unknown retention period ${period}: use Y, D30 or D10.",
                mapping={"period": period},
            ),
        )
    if conditions == DEFAULT:
        return Rule((), period, note, line)
    terms = []
    for term in conditions.split("&"):
        key, sep, values = (piece.strip() for piece in term.partition("="))
        if not sep or key not in KEYS:
            raise RuleError(
                line,
                _(
                    "Unknown condition ${term}: use key=value with a key among ${keys}.",
                    mapping={"term": term.strip(), "keys": ", ".join(KEYS)},
                ),
            )
        codes = frozenset(v.strip() for v in values.split(",") if v.strip())
        if not codes:
            raise RuleError(
                line, _("The condition ${key} names no value.", mapping={"key": key})
            )
        if known is not None:
            unknown = sorted(codes - set(known.get(key, {})))
            if unknown:
                raise RuleError(
                    line,
                    _(
                        "Unknown value ${value} for ${key}.",
                        mapping={"value": ", ".join(unknown), "key": key},
                    ),
                )
        terms.append((key, codes))
    return Rule(tuple(terms), period, note, line)


def parse_rules(lines, known=None):
    """The rules of a schedule; raises ``RuleError`` on the first bad line or
    when there is not exactly one default rule."""
    rules = [parse_rule(line, known) for line in lines if line.strip()]
    defaults = [rule for rule in rules if rule.is_default]
    if len(defaults) != 1:
        raise RuleError(
            "*", _("The schedule needs exactly one default rule (* as its conditions).")
        )
    return rules


def period_for(facts, rules):
    """``(period, rules that decided it)`` for a case's ``facts``."""
    matching = [rule for rule in rules if not rule.is_default and rule.holds(facts)]
    if not matching:
        default = next(rule for rule in rules if rule.is_default)
        return default.period, [default]
    best = max(rank(rule.period) for rule in matching)
    return next(p for p in PERIODS if rank(p) == best), [
        rule for rule in matching if rank(rule.period) == best
    ]


def expiry(year, period):
    """The day a record of ``year`` kept for ``period`` is due for appraisal
    (None: permanent)."""
    years = PERIODS[period]
    if years is None:
        return None
    return date(year + 1 + years, 1, 1)


def case_facts(case):
    """``{key: frozenset(values)}`` of a case, as the rules read it."""
    from xinfang_archive.meetings.filing import (
        meeting_kinds,
    )  # meetings read the archival checks

    kinds = set()
    for child in case.objectValues():
        for name in ("kind", "document_kind"):
            value = getattr(child, name, None)
            if value:
                kinds.add(value)
    stages = set()
    if getattr(case, "review_requested_on", None):
        stages.add("review")
    if getattr(case, "rereview_requested_on", None):
        stages.add("rereview")
    if "rejection_notice" in kinds and not getattr(case, "accepted_on", None):
        stages.add("rejected")

    def one(name):
        value = getattr(case, name, None)
        return frozenset([value]) if value else frozenset()

    return {
        "category": one("category"),
        "grade": one("grade"),
        "flag": frozenset(getattr(case, "flags", None) or ()),
        "channel": one("channel"),
        "unit": one("responsible_unit"),
        "outcome": one("outcome"),
        "stage": frozenset(stages),
        "kind": frozenset(kinds),
        "meeting": meeting_kinds(case),
        "reception": reception_facts(case),
        "accountability": decided_measures(case),
    }


def schedule_rules():
    """The site's schedule, parsed (values are not re-validated here: a unit
    removed from the list later must not stop filing under an old rule)."""

    settings = filing_settings()
    return parse_rules(settings.retention_rules or [])
