"""矛盾纠纷排查: a unit's screening report (排查报告) for one period, and
its container 矛盾纠纷排查 (ScreeningFolder).

A report lists the disputes the unit found, or is an explicit zero report
(零报告).  One report per unit and period: its id is derived from both
(``jsj-2026-11``), its title from the unit, the period and its kind.  Who
reported what is computed in ``reports/screening.py``.
"""

from Acquisition import aq_base
from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from plone import api
from plone.app.content.interfaces import INameFromTitle
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.archival.interfaces import IFileableRecord
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IScreeningFolder
from xinfang_archive.content.interfaces import IScreeningReport
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.content.validators import TITLE_CHARS
from xinfang_archive.i18n import record_text
from xinfang_archive.privacy.units import units_of
from xinfang_archive.reports.screening import find_report
from xinfang_archive.reports.screening import is_period
from xinfang_archive.reports.screening import QUARTER
from xinfang_archive.reports.screening import report_id
from xinfang_archive.reports.screening import reports_of_period
from xinfang_archive.reports.screening import screening_settings
from xinfang_archive.vocabularies.registry import title_of
from z3c.form.interfaces import IEditForm
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


# Roles that file a report for any unit; a unit's staff file only for their own.
BUREAU_ROLES = frozenset({"Manager", "Site Administrator", "Registrar"})


class IScreeningFolderSchema(model.Schema):
    """No fields of its own."""


@implementer(IScreeningFolder)
class ScreeningFolder(Container):
    """Holds the screening reports of every unit."""


class InvalidMonth(schema.ValidationError):
    __doc__ = _("The period must be a month written as year-month, e.g. 2026-11.")


class InvalidQuarter(schema.ValidationError):
    __doc__ = _(
        "The period must be a quarter written as year-Q and its number, e.g. 2026-Q4."
    )


def valid_period(value):
    """The period matches the configured kind (month or quarter)."""
    kind, _day = screening_settings()
    if not is_period(value, kind):
        raise InvalidQuarter(value) if kind == QUARTER else InvalidMonth(value)
    return True


class IDispute(model.Schema):
    """One dispute found by the screening."""

    matter = schema.TextLine(
        title=_("Matter"), required=True, constraint=at_most(TITLE_CHARS)
    )
    parties = schema.TextLine(
        title=_("Parties"), required=True, constraint=at_most(LINE_CHARS)
    )
    people_count = schema.Int(
        title=_("Number of people"), required=True, min=1, default=1
    )
    category = schema.Choice(
        title=_("Category"), vocabulary="xinfang_archive.categories", required=True
    )
    risk_grade = schema.Choice(
        title=_("Risk grade"), vocabulary="xinfang_archive.risk_grades", required=True
    )
    measures = schema.TextLine(
        title=_("Measures"), required=False, constraint=at_most(LINE_CHARS)
    )
    responsible = schema.TextLine(
        title=_("Person responsible"), required=True, constraint=at_most(NAME_CHARS)
    )
    deadline = schema.Date(title=_("Deadline to resolve"), required=False)
    state = schema.Choice(
        title=_("Dispute state"),
        vocabulary="xinfang_archive.dispute_states",
        required=True,
        default="open",
    )


class IScreeningReportSchema(model.Schema):
    unit = schema.Choice(
        title=_("Unit"), vocabulary="xinfang_archive.units", required=True
    )
    period = schema.TextLine(
        title=_("Period"),
        description=_(
            "The month (2026-11) or quarter (2026-Q4) screened, as configured."
        ),
        required=True,
        constraint=valid_period,
    )
    # The id is derived from the unit and the period: neither changes later.
    directives.mode(IEditForm, unit="display", period="display")
    zero_report = schema.Bool(
        title=_("Zero report"),
        description=_("Nothing was found in this period: no disputes are listed."),
        required=False,
        default=False,
    )
    disputes = schema.List(
        title=_("Disputes found"),
        value_type=DictRow(title=_("Dispute"), schema=IDispute),
        required=False,
        default=[],
    )
    directives.widget("disputes", DataGridFieldWidgetFactory, auto_append=False)
    notes = schema.Text(
        title=_("Notes"), required=False, constraint=at_most(TEXT_CHARS)
    )

    @invariant
    def zero_or_disputes(data):
        disputes = [row for row in (getattr(data, "disputes", None) or ()) if row]
        if getattr(data, "zero_report", False) and disputes:
            raise Invalid(
                _("A zero report lists no disputes: remove them or untick zero report.")
            )
        if not getattr(data, "zero_report", False) and not disputes:
            raise Invalid(_("List at least one dispute, or file a zero report."))

    @invariant
    def one_per_unit_and_period(data):
        unit, period = getattr(data, "unit", None), getattr(data, "period", None)
        context = getattr(data, "__context__", None)
        if not unit or not period or context is None:
            return
        if IScreeningReport.providedBy(context):
            folder, this = context.__parent__, context
        else:
            folder, this = context, None
        other = find_report(folder, unit, period)
        if other is not None and aq_base(other) is not aq_base(this):
            raise Invalid(duplicate_message(unit, period))

    @invariant
    def own_unit(data):
        if IScreeningReport.providedBy(data):
            return  # the report itself (the filing check reads it): its unit was checked when it was made
        unit = getattr(data, "unit", None)
        if unit and not may_report_for(unit):
            raise Invalid(_("You can file screening reports only for your own unit."))


def duplicate_message(unit, period):
    return _(
        "${unit} has already filed its screening report for ${period}.",
        mapping={"unit": title_of("units", unit), "period": period},
    )


def may_report_for(unit):
    """Bureau roles report for any unit; others for the units they handle."""
    if api.user.is_anonymous():
        return False
    user = api.user.get_current()
    if BUREAU_ROLES & set(api.user.get_roles(user=user)):
        return True
    handled, _headed = units_of(user.getId())
    return unit in handled


@implementer(IScreeningReport, IFileableRecord)
@frozen_guard
@personal_dump
@derived_title
class ScreeningReport(Item):
    def Title(self):
        unit = title_of("units", getattr(self, "unit", None))
        kind = (
            _("Zero report")
            if getattr(self, "zero_report", False)
            else _("Screening report")
        )
        parts = (unit, getattr(self, "period", None) or "", record_text(kind))
        return " ".join(part for part in parts if part)


class INameFromScreening(INameFromTitle):
    """Behavior interface: a report's name is its unit and period."""


@implementer(INameFromScreening)
class NameFromScreening:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return report_id(self.context.unit, self.context.period)


def report_added(report, event):
    """A second report of the same unit and period is refused, however it comes."""
    for other in reports_of_period(event.newParent, report.period):
        if aq_base(other) is not aq_base(report) and other.unit == report.unit:
            raise Invalid(duplicate_message(report.unit, report.period))
