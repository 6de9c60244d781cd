"""The front page: a work page for who logs in, one section per role of
petition work the user holds (``worklists``), and the public services for
everyone else."""

from plone import api
from Products.Five.browser import BrowserView
from xinfang_archive import _
from xinfang_archive.localtime import local_today
from xinfang_archive.worklists.homes import blocks_of
from xinfang_archive.worklists.roles import homes_of
from zope.i18n import translate


HOME_TITLES = {
    "registrar": _("Registration desk"),
    "handler": _("Case handling"),
    "organizer": _("Hearings"),
    "archivist": _("Archive"),
    "inspector": _("Oversight"),
    "public": _("Public services"),
}


class HomeView(BrowserView):
    def __call__(self):
        self.today = local_today()
        return self.index()

    def _t(self, message):
        return translate(message, context=self.request) if message else ""

    def homes(self):
        if api.user.is_anonymous():
            return ["public"]
        return homes_of(api.user.get_current(), self.context) or ["public"]

    def greeting(self):
        if api.user.is_anonymous():
            return ""
        user = api.user.get_current()
        name = user.getProperty("fullname", "") or user.getUserName()
        return self._t(
            _("home_greeting", default="Hello, ${name}", mapping={"name": name})
        )

    def sections(self):
        return [
            {
                "id": f"xf-home-{home}",
                "title": self._t(HOME_TITLES[home]),
                "blocks": [
                    self._block(b) for b in blocks_of(home, self.request, self.today)
                ],
            }
            for home in self.homes()
        ]

    def _block(self, block):
        return {
            "id": block.id,
            "title": self._t(block.title),
            "count": block.count,
            "rows": block.rows,
            "more_url": block.more_url,
            "more_title": self._t(block.more_title or _("Full list")),
            "actions": [
                {"title": self._t(a.title), "url": a.url} for a in block.actions
            ],
            "status": self._t(block.status),
            "alert": block.alert,
            "search_url": block.search_url,
        }
