"""领导信访接待日: a leader's reception day (LeaderReception) and its container
(ReceptionFolder at /receptions).

The schedule (leader, post, responsibilities, date, times, place) is
published in advance (公之于众).  What happens on the day is the bureau's
own record and never public: the minutes, and per case received (cases
registered with channel 领导接待日 name their reception, ``reception`` on
the case) the leader's instructions (批示) and the follow-ups (定期过问),
keyed by the case's registration number.  Those fields are read with "View
reception minutes" and written with "Record reception minutes", which the
workflow gives only once the reception is held.
"""

from AccessControl import ClassSecurityInfo
from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from datetime import datetime
from plone.app.content.interfaces import INameFromTitle
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import ILeaderReception
from xinfang_archive.content.interfaces import IReceptionFolder
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.reception_links import case_numbers
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.content.validators import TEXT_CHARS
from xinfang_archive.content.validators import TITLE_CHARS
from xinfang_archive.localtime import LOCAL_TIME
from xinfang_archive.receptions.rules import now
from xinfang_archive.receptions.rules import transition_problems
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


READ_MINUTES = "xinfang_archive.ViewReceptionMinutes"
RECORD_MINUTES = "xinfang_archive.RecordReceptionMinutes"
MAX_ROWS = 200  # instructions or follow-ups on one reception
STAFF_FIELDS = ("minutes", "instructions", "follow_ups")


class IReceptionFolderSchema(model.Schema):
    """No fields of its own."""


@implementer(IReceptionFolder)
class ReceptionFolder(Container):
    """Holds the reception days; its default view is the public schedule."""


class IInstruction(model.Schema):
    """The leader's instruction (批示) on one case received."""

    case_number = schema.TextLine(
        title=_("Case registration number"),
        required=True,
        constraint=at_most(NAME_CHARS),
    )
    instructed_on = schema.Date(title=_("Instructed on"), required=False)
    instruction = schema.Text(
        title=_("Leader's instruction"), required=True, constraint=at_most(TEXT_CHARS)
    )


class IFollowUp(model.Schema):
    """One follow-up (定期过问) of the leader on one case received."""

    case_number = schema.TextLine(
        title=_("Case registration number"),
        required=True,
        constraint=at_most(NAME_CHARS),
    )
    day = schema.Date(title=_("Follow-up date"), required=True)
    note = schema.Text(
        title=_("Follow-up note"), required=True, constraint=at_most(TEXT_CHARS)
    )


class ILeaderReceptionSchema(model.Schema):
    leader = schema.TextLine(
        title=_("Leader"), required=True, constraint=at_most(NAME_CHARS)
    )
    post = schema.TextLine(
        title=_("Post"), required=True, constraint=at_most(TITLE_CHARS)
    )
    responsibilities = schema.TextLine(
        title=_("Responsibilities"),
        description=_("The matters the leader is in charge of (分管工作)."),
        required=False,
        constraint=at_most(LINE_CHARS),
    )
    reception_date = schema.Date(title=_("Reception date"), required=True)
    start_time = schema.Time(title=_("Start time"), required=True)
    end_time = schema.Time(title=_("End time"), required=True)
    place = schema.TextLine(
        title=_("Place"), required=True, constraint=at_most(LINE_CHARS)
    )
    notes = schema.Text(
        title=_("Notes for the public"), required=False, constraint=at_most(TEXT_CHARS)
    )

    model.fieldset(
        "reception_record",
        label=_("Record of the day"),
        fields=list(STAFF_FIELDS),
    )
    minutes = RichText(title=_("Minutes of the reception"), required=False)
    instructions = schema.List(
        title=_("Leader's instructions"),
        value_type=DictRow(title=_("Instruction"), schema=IInstruction),
        required=False,
        default=[],
        max_length=MAX_ROWS,
    )
    directives.widget("instructions", DataGridFieldWidgetFactory, auto_append=False)
    follow_ups = schema.List(
        title=_("Follow-ups (定期过问)"),
        value_type=DictRow(title=_("Follow-up"), schema=IFollowUp),
        required=False,
        default=[],
        max_length=MAX_ROWS,
    )
    directives.widget("follow_ups", DataGridFieldWidgetFactory, auto_append=False)
    directives.read_permission(**dict.fromkeys(STAFF_FIELDS, READ_MINUTES))
    directives.write_permission(**dict.fromkeys(STAFF_FIELDS, RECORD_MINUTES))

    @invariant
    def end_after_start(data):
        problem = time_problem(
            getattr(data, "start_time", None), getattr(data, "end_time", None)
        )
        if problem:
            raise Invalid(problem)

    @invariant
    def published_stays_ahead(data):
        """A published day is moved, never into the past (公之于众 in advance)."""
        from plone import api

        context = getattr(data, "__context__", None)
        day, start = (
            getattr(data, "reception_date", None),
            getattr(data, "start_time", None),
        )
        if (
            not ILeaderReception.providedBy(context)
            or day is None
            or start is None
            or api.content.get_state(context, default=None) != "published"
        ):
            return
        if datetime.combine(day, start, LOCAL_TIME) <= now():
            raise Invalid(
                _(
                    "A published reception day cannot be moved to a time that has passed: "
                    "withdraw the publication first."
                )
            )

    @invariant
    def rows_name_linked_cases(data):
        context = getattr(data, "__context__", None)
        if not ILeaderReception.providedBy(context):
            return  # a new reception has no cases yet
        problem = unknown_case_problem(context, data)
        if problem:
            raise Invalid(problem)


def time_problem(start, end):
    if start is not None and end is not None and end <= start:
        return _("The end time must be after the start time.")
    return None


def unknown_case_problem(reception, data):
    """Instructions and follow-ups name cases received at this reception."""

    rows = list(getattr(data, "instructions", None) or ()) + list(
        getattr(data, "follow_ups", None) or ()
    )
    known = case_numbers(reception)
    for row in rows:
        number = (row or {}).get("case_number")
        if number and number not in known:
            return _(
                "Case ${number} was not received at this reception: "
                "register it with channel 领导接待日 and this reception first.",
                mapping={"number": number},
            )
    return None


@implementer(ILeaderReception)
@frozen_guard
@personal_dump
@derived_title
class LeaderReception(Item):
    security = ClassSecurityInfo()
    # Facets and retention rules take a reception day as of its channel.
    channel = "reception_day"

    @security.public
    def transition_allowed(self, transition_id):
        """Used by the workflow guards of ``publish`` and ``hold``."""

        return not transition_problems(self, transition_id)

    def Title(self):
        day = getattr(self, "reception_date", None)
        parts = (
            day.isoformat() if day else "",
            getattr(self, "leader", None) or "",
            getattr(self, "post", None) or "",
            "信访接待日",
        )
        return " ".join(part for part in parts if part)

    def starts(self):
        """The start as an aware datetime in the bureau's time (None if unset)."""
        day, start = (
            getattr(self, "reception_date", None),
            getattr(self, "start_time", None),
        )
        if day is None:
            return None
        return datetime.combine(day, start or datetime.min.time(), LOCAL_TIME)

    def ends(self):
        day, end = (
            getattr(self, "reception_date", None),
            getattr(self, "end_time", None),
        )
        if day is None:
            return None
        return datetime.combine(
            day, end or datetime.max.time().replace(microsecond=0), LOCAL_TIME
        )


class INameFromReception(INameFromTitle):
    """Behavior interface: a reception's name is ``jdr-`` and its date."""


@implementer(INameFromReception)
class NameFromReception:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        day = getattr(self.context, "reception_date", None)
        return f"jdr-{day.isoformat()}" if day else "jdr"


def reception_added(reception, event):
    """The times are checked however a reception is added (REST, code, import)."""
    problem = time_problem(reception.start_time, reception.end_time)
    if problem:
        raise Invalid(problem)
