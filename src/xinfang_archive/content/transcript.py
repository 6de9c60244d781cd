"""听证笔录 HearingTranscript: what was said at a hearing.

The transcript is the original record: versioned, never shown to the
public.  Publishing it (``xf_minutes_workflow``) writes a masked copy, the
notice, to the public board; the organizer's choices about the masks are
kept here (``mask_exclusions``, ``mask_additions``) together with a digest
of the text they were reviewed on, so that a transcript changed after the
review cannot be published without a new look at the masks.
"""

from AccessControl import ClassSecurityInfo
from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.content.interfaces import IHearingTranscript
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import TITLE_CHARS
from xinfang_archive.hearings.rules import transition_problems
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


MASK_FIELDS = (
    "mask_exclusions",
    "mask_additions",
    "mask_review_digest",
    "mask_reviewed_by",
    "mask_reviewed_on",
)


class ISpeakerTurn(model.Schema):
    """One turn of speech."""

    speaker = schema.TextLine(title=_("Speaker"), required=True)
    role = schema.Choice(
        title=_("Role"), vocabulary="xinfang_archive.hearing_roles", required=True
    )
    text = schema.Text(title=_("What was said"), required=True)


class IHearingTranscriptSchema(model.Schema):
    title = schema.TextLine(
        title=_("Title"),
        required=True,
        default="听证笔录",
        constraint=at_most(TITLE_CHARS),
    )
    turns = schema.List(
        title=_("Speaker turns"),
        value_type=DictRow(title=_("Turn"), schema=ISpeakerTurn),
        required=False,
        default=[],
    )
    directives.widget("turns", DataGridFieldWidgetFactory, auto_append=False)
    free_text = schema.Text(
        title=_("Free text"),
        description=_("The transcript as running text, instead of or after the turns."),
        required=False,
    )
    signed_scan = NamedBlobFile(
        title=_("Signed scan"),
        description=_("The transcript as signed by the parties."),
        required=False,
    )
    recording_reference = schema.TextLine(
        title=_("Audio/video recording"),
        description=_(
            "Where the recording is kept (archive number or storage reference)."
        ),
        required=False,
    )

    mask_exclusions = schema.List(
        title=_("Masks not applied"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    mask_additions = schema.List(
        title=_("Further text to mask"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    mask_review_digest = schema.TextLine(title=_("Reviewed text"), required=False)
    mask_reviewed_by = schema.TextLine(title=_("Masks reviewed by"), required=False)
    mask_reviewed_on = schema.Datetime(title=_("Masks reviewed on"), required=False)
    directives.omitted(*MASK_FIELDS)

    @invariant
    def has_content(data):
        if not (getattr(data, "turns", None) or getattr(data, "free_text", None)):
            raise Invalid(_("A transcript needs speaker turns or free text."))


@implementer(IHearingTranscript)
@frozen_guard
@personal_dump
class HearingTranscript(Item):
    """The transcript of the hearing it is kept in."""

    security = ClassSecurityInfo()

    def hearing(self):
        parent = self.__parent__
        return parent if IHearing.providedBy(parent) else None

    @security.public
    def transition_allowed(self, transition_id):
        """Used by the workflow guard of ``publish``."""

        return not transition_problems(self, transition_id)
