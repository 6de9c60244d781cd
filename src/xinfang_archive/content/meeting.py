"""会议: a coordination meeting (信访联席会议, 信访协调会 or 领导小组会议) and
its container (MeetingFolder, at /meetings).

A meeting records who met and, per case discussed, its decision: the unit
the case is assigned to, a due date, instructions, and whether the case was
settled (化解) at the meeting.  Its minutes are reviewed before the meeting is
final (``xf_meeting_workflow``); finalizing puts each decision on its case
(``meetings/finalize.py``).  The checks of the decisions are in
``meetings/decisions.py``; they hold for the forms, for code and for REST.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from plone.app.content.interfaces import INameFromTitle
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import ICoordinationMeeting
from xinfang_archive.content.interfaces import IMeetingFolder
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.i18n import record_text
from xinfang_archive.meetings.decisions import case_numbers
from xinfang_archive.meetings.decisions import decision_problems
from xinfang_archive.meetings.decisions import rows_of
from xinfang_archive.vocabularies.fixed import MEETING_KINDS
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class IMeetingFolderSchema(model.Schema):
    """No fields of its own."""


@implementer(IMeetingFolder)
class MeetingFolder(Container):
    """Holds the bureau's coordination meetings."""


class IMeetingDecision(model.Schema):
    """The meeting's decision on one case."""

    case_number = schema.TextLine(
        title=_("Case number"),
        description=_("The registration number of the case, e.g. XF-2026-000123."),
        required=True,
        constraint=at_most(NAME_CHARS),
    )
    # Required, but checked by the meeting's invariant (decision_problems), so
    # that a missing unit is named with its decision in every channel rather
    # than as the datagrid's anonymous "required input is missing".
    unit = schema.Choice(
        title=_("Assigned unit"),
        description=_("Required: the unit the case is assigned to."),
        vocabulary="xinfang_archive.units",
        required=False,
    )
    due_date = schema.Date(title=_("Due date"), required=False)
    instructions = schema.TextLine(
        title=_("Instructions"), required=False, constraint=at_most(LINE_CHARS)
    )
    settled = schema.Bool(
        title=_("Settled at the meeting"), required=False, default=False
    )


class ICoordinationMeetingSchema(model.Schema):
    kind = schema.Choice(
        title=_("Kind of meeting"),
        vocabulary="xinfang_archive.meeting_kinds",
        required=True,
    )
    meeting_date = schema.Date(title=_("Meeting date"), required=True)
    chair = schema.TextLine(
        title=_("Chair"), required=True, constraint=at_most(NAME_CHARS)
    )
    attendee_units = schema.List(
        title=_("Attending units"),
        value_type=schema.Choice(vocabulary="xinfang_archive.units"),
        required=False,
        default=[],
    )
    attendees = schema.List(
        title=_("Attending people"),
        description=_(
            "One person per line, with their post (officials, not petitioners)."
        ),
        value_type=schema.TextLine(constraint=at_most(NAME_CHARS)),
        required=False,
        default=[],
    )
    decisions = schema.List(
        title=_("Cases discussed and decisions"),
        value_type=DictRow(title=_("Decision"), schema=IMeetingDecision),
        required=False,
        default=[],
    )
    directives.widget("decisions", DataGridFieldWidgetFactory, auto_append=False)
    # The rows as stored name every case; pages and REST show each reader
    # only the decisions on cases they may read (meetings/decisions.py).
    directives.read_permission(decisions="xinfang_archive.ViewAccusation")
    minutes = RichText(title=_("Minutes"), required=False)

    @invariant
    def decisions_valid(data):
        problems = decision_problems(
            getattr(data, "meeting_date", None), getattr(data, "decisions", None) or ()
        )
        if problems:
            raise Invalid(problems[0])


@implementer(ICoordinationMeeting)
@frozen_guard
@personal_dump
@derived_title
class CoordinationMeeting(Item):
    def kind_title(self):
        return record_text(dict(MEETING_KINDS).get(getattr(self, "kind", None), ""))

    def Title(self):
        day = getattr(self, "meeting_date", None)
        parts = (day.isoformat() if day else "", self.kind_title())
        return " ".join(part for part in parts if part) or self.getId()

    def case_numbers(self):
        """The registration numbers of the cases discussed."""
        return case_numbers(rows_of(self))


class INameFromMeeting(INameFromTitle):
    """Behavior interface: a meeting's name is its date (hy-2026-11-20)."""


@implementer(INameFromMeeting)
class NameFromMeeting:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        day = getattr(self.context, "meeting_date", None)
        return f"hy-{day.isoformat()}" if day else "hy"


def meeting_saved(meeting, event):
    """Decisions are checked however the meeting is added or edited: a bad one
    refuses the change (and the transaction saves nothing)."""
    problems = decision_problems(
        getattr(meeting, "meeting_date", None),
        getattr(meeting, "decisions", None) or (),
    )
    if problems:
        raise Invalid(problems[0])
