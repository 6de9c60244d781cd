"""Marker interfaces of the add-on."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IXinfangArchiveLayer(IDefaultBrowserLayer):
    """Browser layer, active once the add-on is installed in a site."""
