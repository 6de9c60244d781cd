"""One petitioner (信访人) row of a case: the personal data of the archive."""

from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import LINE_CHARS
from xinfang_archive.content.validators import NAME_CHARS
from xinfang_archive.content.validators import valid_id_number
from xinfang_archive.content.validators import valid_phone
from zope import schema


class IPetitioner(model.Schema):
    name = schema.TextLine(
        title=_("Name"), required=True, constraint=at_most(NAME_CHARS)
    )
    id_number = schema.TextLine(
        title=_("ID number"), required=False, constraint=valid_id_number
    )
    phone = schema.TextLine(title=_("Phone"), required=False, constraint=valid_phone)
    address = schema.TextLine(
        title=_("Address"), required=False, constraint=at_most(LINE_CHARS)
    )
    representative = schema.Bool(
        title=_("Representative"),
        description=_("Chosen representative of a group visit (at most 5)."),
        required=False,
        default=False,
    )
