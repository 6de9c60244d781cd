"""信访件库 CaseFolder: the container of petition cases."""
from plone.dexterity.content import Container
from plone.supermodel import model
from xinfang_archive.content.interfaces import ICaseFolder
from zope.interface import implementer


class ICaseFolderSchema(model.Schema):
    """No fields of its own: title and description come from plone.dublincore."""


@implementer(ICaseFolder)
class CaseFolder(Container):
    """Holds the petition cases of the bureau."""
