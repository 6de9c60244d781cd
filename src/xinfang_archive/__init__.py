"""xinfang_archive: the records archive of a petition bureau (信访局) on Plone 6."""

from zope.i18nmessageid import MessageFactory


PACKAGE_NAME = "xinfang_archive"

_ = MessageFactory("xinfang_archive")
