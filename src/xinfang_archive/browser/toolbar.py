"""The toolbar's content views with the last change in Chinese form
(``2026年12月3日 07:41``, the bureau's time), as every other date a person reads."""

from plone.app.layout.viewlets.common import ContentViewsViewlet
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from xinfang_archive.localtime import chinese_time


class ChineseContentViewsViewlet(ContentViewsViewlet):
    menu_template = ViewPageTemplateFile("templates/toolbar_menu.pt")

    def modified_text(self):
        modified = getattr(self.context, "modified", None)
        return chinese_time(modified()) if callable(modified) else ""
