"""The bureau's own face in every page: the logo with the archive's title
and the bureau's name, and a footer with the bureau's contact line instead
of Plone's colophon."""

from plone import api
from plone.app.layout.viewlets.common import LogoViewlet
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive.controlpanel.settings import get_settings


class BureauLogoViewlet(LogoViewlet):
    index = ViewPageTemplateFile("templates/logo.pt")

    def update(self):
        super().update()
        self.bureau_name = get_settings().bureau_name or ""


class BureauFooter(BrowserView):
    """The footer's signature: the bureau's name and contact line."""

    def update(self):
        settings = get_settings()
        self.bureau_name = settings.bureau_name or ""
        self.contact = settings.bureau_contact or ""
        self.site_title = api.portal.get_registry_record("plone.site_title", default="")

    def __call__(self):
        self.update()
        return self.index()
