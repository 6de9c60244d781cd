"""答复 Reply: a statutory reply letter (告知书 / 意见书) of a case."""

from plone.app.textfield import RichText
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IReply
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.i18n import record_text
from xinfang_archive.vocabularies.fixed import REPLY_KINDS
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


# Kinds that decide the matter and therefore carry an outcome.
OPINION_KINDS = ("handling_opinion", "review_opinion", "rereview_opinion")


class IReplySchema(model.Schema):
    kind = schema.Choice(
        title=_("Kind of reply"),
        vocabulary="xinfang_archive.reply_kinds",
        required=True,
    )
    document_number = schema.TextLine(title=_("Document number"), required=True)
    reply_date = schema.Date(title=_("Reply date"), required=True)
    outcome = schema.Choice(
        title=_("Outcome"),
        description=_("Required for handling, review and re-review opinions."),
        vocabulary="xinfang_archive.outcomes",
        required=False,
    )
    body = RichText(title=_("Body text"), required=False)
    letter_file = NamedBlobFile(
        title=_("Letter (PDF)"),
        description=_("The letter as issued by the archive; generated from the case."),
        required=False,
    )
    signed_file = NamedBlobFile(title=_("Signed file"), required=False)

    @invariant
    def opinion_has_outcome(data):
        if getattr(data, "kind", None) in OPINION_KINDS and not getattr(
            data, "outcome", None
        ):
            raise Invalid(
                _("An opinion (处理/复查/复核意见书) must state its outcome.")
            )


@implementer(IReply)
@frozen_guard
@personal_dump
@derived_title
class Reply(Item):
    """A reply letter; its title is made of its kind and document number."""

    def Title(self):
        kinds = dict(REPLY_KINDS)
        kind = kinds.get(getattr(self, "kind", None))
        label = record_text(kind) if kind else ""
        number = getattr(self, "document_number", None) or ""
        return " ".join(part for part in (label, number) if part) or self.getId()
