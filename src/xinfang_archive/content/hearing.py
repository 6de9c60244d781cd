"""听证会 Hearing and its container 听证 (HearingFolder).

A hearing is held on one or more cases.  It is internal: the public only
ever sees the masked minutes published from its transcript (see
``content/notice.py``).  Its id and number (``TZ-2024-0003``) never carry a
name, because the public URL of the minutes is derived from them.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from datetime import date
from plone.app.content.interfaces import INameFromTitle
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.content.interfaces import IHearingFolder
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.registration import next_sequence
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.content.validators import TITLE_CHARS
from xinfang_archive.localtime import local_today
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


HEARING_COUNTERS_KEY = "xinfang_archive.hearing_counters"
HEARING_NUMBER_FORMAT = "TZ-{year}-{seq:04d}"


class IHearingFolderSchema(model.Schema):
    """No fields of its own."""


@implementer(IHearingFolder)
class HearingFolder(Container):
    """Holds the hearings of the bureau."""


class IHearingParty(model.Schema):
    """One party (当事人) of a hearing."""

    name = schema.TextLine(
        title=_("Name"), required=True, constraint=at_most(NAME_CHARS)
    )
    role = schema.Choice(
        title=_("Role"), vocabulary="xinfang_archive.hearing_roles", required=True
    )
    organisation = schema.TextLine(title=_("Organisation"), required=False)
    address = schema.TextLine(
        title=_("Address"), required=False, constraint=at_most(LINE_CHARS)
    )
    private = schema.Bool(
        title=_("Private person"),
        description=_(
            "Names and data of private persons are masked when the minutes are published."
        ),
        required=False,
        default=True,
    )


class IHearingSchema(model.Schema):
    hearing_number = schema.TextLine(title=_("Hearing number"), required=False)
    directives.omitted("hearing_number")

    title = schema.TextLine(
        title=_("Subject"), required=True, constraint=at_most(TITLE_CHARS)
    )
    cases = RelationList(
        title=_("Cases heard"),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=True,
        min_length=1,
    )
    directives.widget(
        "cases",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["PetitionCase"], "basePath": "/"},
    )
    hearing_date = schema.Date(title=_("Hearing date"), required=True)
    end_date = schema.Date(
        title=_("Last day of the hearing"),
        description=_("Only for a hearing held over several days."),
        required=False,
    )
    place = schema.TextLine(title=_("Place"), required=True)
    chair = schema.TextLine(title=_("Chair"), required=True)
    panel = schema.List(
        title=_("Hearing panel"),
        description=_("One hearing panelist per line."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    parties = schema.List(
        title=_("Parties"),
        value_type=DictRow(title=_("Party"), schema=IHearingParty),
        required=False,
        default=[],
    )
    directives.widget("parties", DataGridFieldWidgetFactory, auto_append=False)
    public = schema.Bool(
        title=_("Public hearing"),
        description=_("Only the minutes of a public hearing may be published."),
        required=False,
        default=True,
    )
    agenda = schema.Text(title=_("Agenda"), required=False)

    @invariant
    def end_after_start(data):
        start, end = (
            getattr(data, "hearing_date", None),
            getattr(data, "end_date", None),
        )
        if start and end and end < start:
            raise Invalid(
                _("The last day of the hearing cannot be before its first day.")
            )


@implementer(IHearing)
@frozen_guard
@personal_dump
class Hearing(Container):
    """A hearing; its transcripts live inside."""

    def days(self):
        """The calendar days the hearing takes (first to last, inclusive)."""
        start = getattr(self, "hearing_date", None)
        if start is None:
            return []
        end = getattr(self, "end_date", None) or start
        return [
            date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)
        ]

    def private_parties(self):
        return [row for row in (self.parties or ()) if row and row.get("private")]

    def officials(self):
        """Names spoken in office: chair, panel and parties that are not private."""
        names = [self.chair, *list(self.panel or ())]
        names += [
            row.get("name")
            for row in (self.parties or ())
            if row and not row.get("private")
        ]
        return [name for name in names if name]


def ensure_hearing_number(hearing):
    number = getattr(hearing, "hearing_number", None)
    if number:
        return number
    day = getattr(hearing, "hearing_date", None) or local_today()
    seq = next_sequence(day.year, key=HEARING_COUNTERS_KEY)
    hearing.hearing_number = HEARING_NUMBER_FORMAT.format(year=day.year, seq=seq)
    return hearing.hearing_number


class INameFromHearingNumber(INameFromTitle):
    """Behavior interface: the name of a new hearing is its number."""


@implementer(INameFromHearingNumber)
class NameFromHearingNumber:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return ensure_hearing_number(self.context).lower()


def hearing_added(hearing, event):
    ensure_hearing_number(hearing)
