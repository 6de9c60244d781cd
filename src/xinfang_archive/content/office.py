"""档案管理 ArchiveOffice: where appraisals and holds live."""

from plone.dexterity.content import Container
from plone.supermodel import model
from xinfang_archive.content.interfaces import IArchiveOffice
from zope.interface import implementer


class IArchiveOfficeSchema(model.Schema):
    """No fields of its own."""


@implementer(IArchiveOffice)
class ArchiveOffice(Container):
    """The archivists' office."""
