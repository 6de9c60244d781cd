"""Which warnings a new or changed record raises: ``candidates_for_case``
and ``candidates_for_report`` return ``Candidate``s, nothing is written here
(``raising.py`` does that).

Evaluation must stay cheap with 100,000 cases: it reads the record itself
and asks the catalog (unrestricted: a rule sees every case, whoever
registers) a few indexed questions, never walking the cases:

* collective: the record's number of people, no query;
* repeat by petitioner: ``petitioner_keys`` (keyed fingerprints of ID
  number, name + phone) within ``received_date`` ± days;
* repeat by matter: the earlier cases the case is linked to
  (``related_cases``, the repeat marker of the registration form) received
  within the days, read from the relations;
* surge: the length of ``case_category`` (or ``case_unit``) ∩
  ``received_date`` over the window, counted without loading brains, and
  only while no warning of that window exists yet;
* sensitive: the record's dates and grade, no query.

A surge window is one of the windows of ``days`` days that follow each
other from a fixed day (``window_of``), so that one window raises at most one
warning.  Summaries name records by their registration numbers and units,
categories and counts: never a petitioner's name or number.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import timedelta
from xinfang_archive import _
from xinfang_archive.content.dispute_link import dispute_key
from xinfang_archive.content.matching import keys_of
from xinfang_archive.earlywarning import rules as R
from xinfang_archive.i18n import record_text
from xinfang_archive.privacy.accusation import ACCUSATION_CATEGORIES
from xinfang_archive.privacy.accusation import is_accusation_case
from xinfang_archive.vocabularies.registry import title_of

import hashlib


MAX_RECORDS = 100  # records named by one warning (a surge may count more)
KEY_GRADE = "key"
COLLECTIVE_FLAG = "collective"


@dataclass
class Candidate:
    rule: R.Rule
    key: str
    records: list
    summary: str
    unit: str = None
    occurred_on: date = None
    restricted: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def id(self):
        return warning_id(self.key)


def warning_id(key):
    """The id of the warning of ``key`` (the same key, the same warning)."""
    return (
        "yj-"
        + hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    )


def window_of(day, days):
    """(first, last) day of the ``days``-long window holding ``day``;
    windows follow each other from 0001-01-01 (a Monday: 7-day windows are
    calendar weeks)."""
    ordinal = day.toordinal()
    first = date.fromordinal(ordinal - (ordinal - 1) % days)
    return first, first + timedelta(days=days - 1)


def _numbers(brains):
    return "、".join(b.registration_number or b.getId for b in brains)


def _text(message):
    return record_text(message)


def _case_facts(case):
    return {
        "uid": case.UID(),
        "number": getattr(case, "registration_number", None) or case.getId(),
        "received": getattr(case, "received_date", None),
        "category": getattr(case, "category", None),
        "unit": getattr(case, "responsible_unit", None),
        "people": getattr(case, "people_count", None) or 0,
        "grade": getattr(case, "grade", None),
        "flags": set(getattr(case, "flags", None) or ()),
    }


def candidates_for_case(case, rules, periods, catalog, existing=lambda wid: False):
    """The warnings ``case`` raises under ``rules`` and ``periods``;
    ``existing(warning id)`` tells which were raised already (a surge's
    window is then not counted again)."""
    facts = _case_facts(case)
    restricted = is_accusation_case(case)
    found = []
    for rule in rules:
        make = _CASE_RULES.get(rule.kind)
        if make is not None:
            found.extend(make(rule, case, facts, periods, catalog, existing))
    for candidate in found:
        candidate.restricted = candidate.restricted or restricted
    return found


def _collective(rule, case, facts, periods, catalog, existing):
    if facts["people"] < rule.threshold:
        return []
    summary = _text(
        _(
            "Case ${number} (${category}) involves ${people} people; the rule warns from ${threshold}.",
            mapping={
                "number": facts["number"],
                "category": title_of("categories", facts["category"]),
                "people": facts["people"],
                "threshold": rule.threshold,
            },
        )
    )
    return [
        Candidate(
            rule,
            f"{rule.id}|{facts['uid']}",
            [facts["uid"]],
            summary,
            facts["unit"],
            facts["received"],
        )
    ]


def _repeat(rule, case, facts, periods, catalog, existing):
    received = facts["received"]
    if received is None:
        return []
    window = timedelta(days=rule.days)
    if rule.key == "petitioner":
        keys = keys_of(getattr(case, "petitioners", None))
        if not keys:
            return []
        brains = [
            b
            for b in catalog.unrestrictedSearchResults(
                portal_type="PetitionCase",
                petitioner_keys=sorted(keys),
                received_date={
                    "query": (received - window, received + window),
                    "range": "min:max",
                },
                sort_on="received_date",
            )
            if facts["uid"] != b.UID
        ]
        others = [(b.UID, b) for b in brains]

        def message(mapping):
            return _(
                "Case ${number}: the same petitioner petitioned ${count} more times within ${days} days "
                "(${numbers}).",
                mapping=mapping,
            )
    else:
        others = []
        for relation in getattr(case, "related_cases", None) or ():
            earlier = getattr(relation, "to_object", None)
            day = getattr(earlier, "received_date", None)
            if (
                earlier is not None
                and day is not None
                and abs((day - received).days) <= rule.days
            ):
                others.append((earlier.UID(), _Brain(earlier)))

        def message(mapping):
            return _(
                "Case ${number}: the same matter was petitioned ${count} more times within ${days} days "
                "(${numbers}).",
                mapping=mapping,
            )

    if not others:
        return []
    others = others[: MAX_RECORDS - 1]
    uids = sorted({facts["uid"], *(uid for uid, _b in others)})
    summary = _text(
        message(
            {
                "number": facts["number"],
                "count": len(others),
                "days": rule.days,
                "numbers": _numbers([b for _uid, b in others]),
            }
        )
    )
    restricted = any(_brain_accuses(b) for _uid, b in others)
    return [
        Candidate(
            rule,
            f"{rule.id}|{','.join(uids)}",
            uids,
            summary,
            facts["unit"],
            received,
            restricted=restricted,
        )
    ]


class _Brain:
    """The few catalog columns the summaries read, from an object."""

    def __init__(self, case):
        self.registration_number = getattr(case, "registration_number", None)
        self.getId = case.getId()
        self.case_category = getattr(case, "category", None)
        self.case_flags = sorted(getattr(case, "flags", None) or ())
        self._case = case


def _brain_accuses(brain):
    """Whether the case of ``brain`` is about an accusation: asked of the case
    itself (its category, flag or sealed documents; the catalog knows only the
    category), at most ``MAX_RECORDS`` of them for one warning."""
    case = getattr(brain, "_case", None)
    if case is None:
        case = brain._unrestrictedGetObject()
    return is_accusation_case(case)


SURGE_INDEXES = {"category": "case_category", "unit": "case_unit"}


def _surge(rule, case, facts, periods, catalog, existing):
    code = facts["category"] if rule.dimension == "category" else facts["unit"]
    received = facts["received"]
    if not code or received is None or (rule.value != R.ANY and rule.value != code):
        return []
    first, last = window_of(received, rule.days)
    key = f"{rule.id}|{code}|{first.isoformat()}"
    if existing(warning_id(key)):
        return []
    query = {
        "portal_type": "PetitionCase",
        SURGE_INDEXES[rule.dimension]: code,
        "received_date": {"query": (first, last), "range": "min:max"},
    }
    results = catalog.unrestrictedSearchResults(**query)
    count = len(results)
    if count < rule.threshold:
        return []
    brains = list(results[:MAX_RECORDS])
    names = "categories" if rule.dimension == "category" else "units"
    mapping = {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "count": count,
        "title": title_of(names, code),
        "threshold": rule.threshold,
    }
    if rule.dimension == "category":
        message = _(
            "From ${first} to ${last}, ${count} cases of the category ${title} were received; "
            "the rule warns from ${threshold}.",
            mapping=mapping,
        )
    else:
        message = _(
            "From ${first} to ${last}, ${count} cases were assigned to ${title}; "
            "the rule warns from ${threshold}.",
            mapping=mapping,
        )
    summary = _text(message)
    unit = code if rule.dimension == "unit" else None
    return [
        Candidate(
            rule,
            key,
            sorted(b.UID for b in brains),
            summary,
            unit,
            first,
            restricted=any(_brain_accuses(b) for b in brains),
            extra={"count": count},
        )
    ]


def _sensitive(rule, case, facts, periods, catalog, existing):
    if not (facts["grade"] == KEY_GRADE or COLLECTIVE_FLAG in facts["flags"]):
        return []
    found = []
    for period in periods:
        if not period.holds(facts["received"]):
            continue
        summary = _text(
            _(
                "During ${period} (${start} to ${end}) the key matter ${number} (${category}, ${people} people) "
                "was received.",
                mapping={
                    "period": period.name,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                    "number": facts["number"],
                    "category": title_of("categories", facts["category"]),
                    "people": facts["people"],
                },
            )
        )
        key = f"{rule.id}|{period.name}|{period.start.isoformat()}|{facts['uid']}"
        found.append(
            Candidate(
                rule, key, [facts["uid"]], summary, facts["unit"], facts["received"]
            )
        )
    return found


_CASE_RULES = {
    R.COLLECTIVE: _collective,
    R.REPEAT: _repeat,
    R.SURGE: _surge,
    R.SENSITIVE: _sensitive,
}


def candidates_for_report(report, rules, periods, day):
    """The warnings the disputes of a submitted screening ``report`` raise
    (``day``: the day it was submitted): large disputes, and disputes of key
    risk during a sensitive period."""
    uid = report.UID()
    unit = getattr(report, "unit", None)
    rows = [row for row in getattr(report, "disputes", None) or () if row]
    found = []
    for rule in rules:
        for row in rows:
            key_of_row = dispute_key(row)
            people = row.get("people_count") or 0
            category = row.get("category")
            mapping = {
                "unit": title_of("units", unit),
                "period": getattr(report, "period", ""),
                "category": title_of("categories", category),
                "people": people,
            }
            restricted = category in ACCUSATION_CATEGORIES
            if rule.kind == R.COLLECTIVE and people >= rule.threshold:
                summary = _text(
                    _(
                        "The screening report of ${unit} for ${period} lists a dispute (${category}) involving "
                        "${people} people; the rule warns from ${threshold}.",
                        mapping=dict(mapping, threshold=rule.threshold),
                    )
                )
                found.append(
                    Candidate(
                        rule,
                        f"{rule.id}|{uid}|{key_of_row}",
                        [uid],
                        summary,
                        unit,
                        day,
                        restricted=restricted,
                    )
                )
            elif rule.kind == R.SENSITIVE and row.get("risk_grade") == KEY_GRADE:
                for period in periods:
                    if not period.holds(day):
                        continue
                    summary = _text(
                        _(
                            "During ${name} (${start} to ${end}) the screening report of ${unit} for ${period} "
                            "listed a dispute of key risk (${category}, ${people} people).",
                            mapping=dict(
                                mapping,
                                name=period.name,
                                start=period.start.isoformat(),
                                end=period.end.isoformat(),
                            ),
                        )
                    )
                    key = f"{rule.id}|{period.name}|{period.start.isoformat()}|{uid}|{key_of_row}"
                    found.append(
                        Candidate(
                            rule, key, [uid], summary, unit, day, restricted=restricted
                        )
                    )
    return found
