"""督办 Supervision: an order to speed up or correct the handling of a case."""

from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import ISupervision
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.vocabularies.registry import title_of
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class ISupervisionSchema(model.Schema):
    method = schema.Choice(
        title=_("Supervision method"),
        vocabulary="xinfang_archive.supervision_methods",
        required=True,
    )
    issued_by = schema.TextLine(title=_("Issued by"), required=True)
    issued_on = schema.Date(title=_("Issued on"), required=True)
    due_date = schema.Date(title=_("Due date"), required=True)
    instructions = schema.Text(title=_("Instructions"), required=False)
    response = schema.Text(title=_("Response"), required=False)
    done = schema.Bool(title=_("Done"), required=False, default=False)

    @invariant
    def due_after_issue(data):
        issued, due = getattr(data, "issued_on", None), getattr(data, "due_date", None)
        if issued and due and due < issued:
            raise Invalid(_("The due date cannot be before the date of issue."))


@implementer(ISupervision)
@frozen_guard
@personal_dump
@derived_title
class Supervision(Item):
    def Title(self):
        method = title_of("supervision_methods", getattr(self, "method", None))
        due = getattr(self, "due_date", None)
        return f"{method} {due.isoformat() if due else ''}".strip() or self.getId()
