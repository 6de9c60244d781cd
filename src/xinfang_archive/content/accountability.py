"""责任追究: an accountability record (责任追究记录) and its container
(AccountabilityFolder at /accountability).

A record is held against a unit, and optionally a person in it (name and
post: personal data), for a cause (逾期办理, 督办不力, 漏报零报告, 其他); it
names the records that caused it (cases, screening reports, or the screening
periods a unit missed without filing anything), the facts, the measure, the
deciding authority and the date of the decision.  Its number and id
(``ZR-2026-0003``) never carry a name.  Once decided it is read-only like a
filed record (``xf_accountability_workflow``).

The same checks run in the form (invariants) and on every add, however it
comes (REST, code): ``record_problems``.
"""

from plone.app.content.interfaces import INameFromTitle
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IAccountabilityFolder
from xinfang_archive.content.interfaces import IAccountabilityRecord
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.registration import next_sequence
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.i18n import record_text
from xinfang_archive.localtime import local_today
from xinfang_archive.reports.screening import is_period
from xinfang_archive.reports.screening import kind_of
from xinfang_archive.vocabularies.fixed import ACCOUNTABILITY_CAUSES
from xinfang_archive.vocabularies.fixed import ACCOUNTABILITY_MEASURES
from xinfang_archive.vocabularies.registry import title_of
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant

import datetime


COUNTERS_KEY = "xinfang_archive.accountability_counters"
NUMBER_FORMAT = "ZR-{year}-{seq:04d}"
# Causes that must name the records showing them: the overdue cases; the
# screening reports filed late, or the periods missed without any report.
NEEDS_CASES = frozenset({"overdue"})
NEEDS_SCREENING = frozenset({"missing_report"})
PERSONAL_FIELDS = ("person_name", "person_post")


class IAccountabilityFolderSchema(model.Schema):
    """No fields of its own."""


@implementer(IAccountabilityFolder)
class AccountabilityFolder(Container):
    """Holds the accountability records of the bureau."""


class InvalidPeriods(schema.ValidationError):
    __doc__ = _(
        "Write each screening period as 2026-11 (a month) or 2026-Q4 (a quarter)."
    )


def valid_periods(values):
    for value in values or ():
        if not is_period(value, "month") and not is_period(value, "quarter"):
            raise InvalidPeriods(value)
    return True


class IAccountabilityRecordSchema(model.Schema):
    record_number = schema.TextLine(title=_("Accountability number"), required=False)
    directives.omitted("record_number")

    unit = schema.Choice(
        title=_("Unit held to account"),
        vocabulary="xinfang_archive.units",
        required=True,
    )
    person_name = schema.TextLine(
        title=_("Person held to account"),
        description=_(
            "Only when a person of the unit is held to account (personal data)."
        ),
        required=False,
        constraint=at_most(NAME_CHARS),
    )
    person_post = schema.TextLine(
        title=_("Post of the person"), required=False, constraint=at_most(LINE_CHARS)
    )
    directives.read_permission(
        person_name="xinfang_archive.ViewPersonalData",
        person_post="xinfang_archive.ViewPersonalData",
    )
    directives.write_permission(
        person_name="xinfang_archive.ViewPersonalData",
        person_post="xinfang_archive.ViewPersonalData",
    )
    cause = schema.Choice(
        title=_("Cause"),
        vocabulary="xinfang_archive.accountability_causes",
        required=True,
    )
    linked_cases = RelationList(
        title=_("Cases concerned"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )
    directives.widget(
        "linked_cases",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["PetitionCase"], "basePath": "/"},
    )
    screening_reports = RelationList(
        title=_("Screening reports concerned"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )
    directives.widget(
        "screening_reports",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ScreeningReport"], "basePath": "/"},
    )
    screening_periods = schema.List(
        title=_("Screening periods missed"),
        description=_(
            "The periods the unit filed no screening report for, one per line (2026-11)."
        ),
        value_type=schema.TextLine(),
        required=False,
        default=[],
        constraint=valid_periods,
    )
    facts = schema.Text(title=_("Facts"), required=True, constraint=at_most(TEXT_CHARS))
    measure = schema.Choice(
        title=_("Measure"),
        vocabulary="xinfang_archive.accountability_measures",
        required=True,
    )
    authority = schema.TextLine(
        title=_("Deciding authority"), required=True, constraint=at_most(LINE_CHARS)
    )
    decision_date = schema.Date(title=_("Date of the decision"), required=True)

    @invariant
    def valid_record(data):
        problems = record_problems(data)
        if problems:
            raise Invalid(problems[0])


def _linked(values):
    return [value for value in values or () if value is not None]


def record_problems(data):
    """The problems of a record's values (``data``: the form's data or the
    record itself), as translatable messages; empty when it may be saved."""
    problems = []
    get = lambda name: getattr(data, name, None)
    if (get("person_name") or get("person_post")) and not get("unit"):
        problems.append(_("A person held to account must be named with their unit."))
    if get("person_post") and not get("person_name"):
        problems.append(_("Name the person whose post is given."))
    cause = get("cause")
    if cause in NEEDS_CASES and not _linked(get("linked_cases")):
        problems.append(_("Overdue handling: link the overdue cases."))
    if cause in NEEDS_SCREENING and not (
        _linked(get("screening_reports")) or get("screening_periods")
    ):
        problems.append(
            _(
                "Missing zero report: link the screening reports filed late, or name the periods missed."
            )
        )
    day = get("decision_date")
    if isinstance(day, datetime.date) and day > local_today():
        problems.append(_("The date of the decision cannot be in the future."))
    for period in get("screening_periods") or ():
        try:
            kind_of(period)
        except ValueError:
            problems.append(InvalidPeriods.__doc__)
            break
    return problems


def ensure_record_number(record):
    number = getattr(record, "record_number", None)
    if number:
        return number
    day = getattr(record, "decision_date", None) or local_today()
    record.record_number = NUMBER_FORMAT.format(
        year=day.year, seq=next_sequence(day.year, key=COUNTERS_KEY)
    )
    return record.record_number


@implementer(IAccountabilityRecord)
@frozen_guard
@personal_dump
@derived_title
class AccountabilityRecord(Item):
    """An accountability record; its title names the unit and the measure,
    never the person."""

    def Title(self):
        unit = title_of("units", getattr(self, "unit", None))
        measure = dict(ACCOUNTABILITY_MEASURES).get(getattr(self, "measure", None))
        cause = dict(ACCOUNTABILITY_CAUSES).get(getattr(self, "cause", None))
        text = " ".join(part for part in (unit, record_text(measure)) if part)
        return f"{text}（{record_text(cause)}）" if cause else text

    def related_cases(self):
        return [
            obj
            for obj in (getattr(r, "to_object", None) for r in self.linked_cases or ())
            if obj is not None
        ]

    def related_reports(self):
        return [
            obj
            for obj in (
                getattr(r, "to_object", None) for r in self.screening_reports or ()
            )
            if obj is not None
        ]


class INameFromAccountabilityNumber(INameFromTitle):
    """Behavior interface: the name of a new record is its number."""


@implementer(INameFromAccountabilityNumber)
class NameFromAccountabilityNumber:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return ensure_record_number(self.context).lower()


def record_will_be_added(record, event):
    """The form's checks again on every add (REST, code), before the record
    is set in its folder: nothing is saved with a problem."""
    problems = record_problems(record)
    if not getattr(record, "facts", None) or not getattr(record, "measure", None):
        problems.append(_("Write the facts and choose the measure."))
    if problems:
        raise Invalid(problems[0])
    ensure_record_number(record)
