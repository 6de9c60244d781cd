"""案件材料 CaseDocument: a file with DA/T 46 core metadata."""

from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import TITLE_CHARS
from zope import schema
from zope.interface import implementer


class ICaseDocumentSchema(model.Schema):
    """DA/T 46-2009 core metadata: 题名, 责任者, 日期, 文号, 密级, 页数."""

    title = schema.TextLine(
        title=_("Document title"), required=True, constraint=at_most(TITLE_CHARS)
    )
    file = NamedBlobFile(
        title=_("File"),
        description=_("PDF, DOCX, image or text."),
        required=True,
    )
    document_kind = schema.Choice(
        title=_("Document kind"),
        vocabulary="xinfang_archive.document_kinds",
        required=False,
    )
    responsible = schema.TextLine(
        title=_("Author (responsible)"), required=True, constraint=at_most(LINE_CHARS)
    )
    document_date = schema.Date(title=_("Document date"), required=True)
    document_number = schema.TextLine(title=_("Document number"), required=False)
    classification = schema.Choice(
        title=_("Security classification"),
        vocabulary="xinfang_archive.classifications",
        required=True,
        default="internal",
    )
    pages = schema.Int(title=_("Pages"), required=False, min=1, max=100000)
    # Once set, the document is sealed and nobody holds this permission on
    # it: the flag is cleared by request and approval (privacy/clearing.py).
    directives.write_permission(accusation="xinfang_archive.FlagAccusation")
    accusation = schema.Bool(
        title=_("Accusation material"),
        description=_(
            "Accusation (举报) material is hidden from everyone without the right to see it, "
            "in particular the accused person or unit."
        ),
        required=False,
        default=False,
    )


@implementer(ICaseDocument)
@frozen_guard
@personal_dump
class CaseDocument(Item):
    """A document of a case."""
