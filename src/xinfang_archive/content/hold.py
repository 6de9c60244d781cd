"""冻结 Hold: filed records that no disposition step may touch until released.

A hold names its records by archival code (档号), states its reason and
authority (e.g. a court's or an inspection's notice); who placed it and when
is its creator and creation date, who released it and when its workflow
history (transition ``release``, with a comment).
"""

from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.archival.disposition import unknown_codes
from xinfang_archive.content.interfaces import IHold
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class IHoldSchema(model.Schema):
    title = schema.TextLine(title=_("Title"), required=True)
    reason = schema.Text(title=_("Reason for the hold"), required=True)
    authority = schema.TextLine(
        title=_("Authority"),
        description=_(
            "The notice or decision the hold rests on (e.g. a court's notice number)."
        ),
        required=False,
    )
    archival_codes = schema.List(
        title=_("Archival codes"),
        description=_("One archival code (档号) per line: the filed records held."),
        value_type=schema.TextLine(),
        required=True,
        min_length=1,
    )

    @invariant
    def codes_are_filed_records(data):

        unknown = unknown_codes(getattr(data, "archival_codes", None) or [])
        if unknown:
            raise Invalid(
                _(
                    "No filed record has the archival code ${codes}.",
                    mapping={"codes": ", ".join(unknown)},
                )
            )


@implementer(IHold)
class Hold(Item):
    """A hold (冻结) on filed records."""
