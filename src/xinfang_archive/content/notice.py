"""听证公告 NoticeBoard and HearingNotice: the public face of hearing minutes.

A notice is written by the publication of a transcript
(``hearings/publication.py``) and holds nothing but masked text, so every
public channel (page, listing, feed, PDF, search, REST) can serve it as it
is.  Nobody edits a notice by hand; publishing again rewrites it, and
retracting the minutes withdraws it.  Its id comes from the hearing number,
so its URL is stable across publications.
"""

from collective.z3cform.datagridfield.row import DictRow
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.content.interfaces import IHearingNotice
from xinfang_archive.content.interfaces import INoticeBoard
from xinfang_archive.content.transcript import ISpeakerTurn
from zope import schema
from zope.interface import implementer


class INoticeBoardSchema(model.Schema):
    """No fields of its own."""


@implementer(INoticeBoard)
class NoticeBoard(Container):
    """Holds the published minutes."""


class IHearingNoticeSchema(model.Schema):
    title = schema.TextLine(title=_("Subject"), required=True)
    hearing_number = schema.TextLine(title=_("Hearing number"), required=True)
    hearing_date = schema.Date(title=_("Hearing date"), required=True)
    end_date = schema.Date(title=_("Last day of the hearing"), required=False)
    place = schema.TextLine(title=_("Place"), required=False)
    chair = schema.TextLine(title=_("Chair"), required=False)
    panel = schema.List(
        title=_("Hearing panel"), value_type=schema.TextLine(), required=False
    )
    agenda = schema.Text(title=_("Agenda"), required=False)
    turns = schema.List(
        title=_("Speaker turns"),
        value_type=DictRow(title=_("Turn"), schema=ISpeakerTurn),
        required=False,
    )
    free_text = schema.Text(title=_("Free text"), required=False)
    published_on = schema.Date(title=_("Published on"), required=True)


@implementer(IHearingNotice)
class HearingNotice(Item):
    """Masked minutes, as the public may read them."""
