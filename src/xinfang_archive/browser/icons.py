"""Plone's ``@@iconresolver`` with its SVG tags made once per process.

Every icon of a page (the toolbar and menus alone show dozens) was traversed
to as a resource, read from disk, parsed, changed and serialized again on
every request: about a tenth of a case page.  An SVG tag depends only on the
file the registry names and on the class and title asked for, and those
files are part of the installed packages, so each tag is kept.  Anything
else (an ``<img>`` tag, whose URL follows the request's host) is made as
before.
"""

from Products.CMFPlone.browser.icons import IconsView


MAX_TAGS = 2000  # more (icon, class, title) combinations than any page set uses
_tags = {}


class CachedIconsView(IconsView):
    def tag(self, name, tag_class="", tag_alt=""):
        icon = self.lookup(name)
        if not icon.endswith(".svg"):
            return super().tag(name, tag_class, tag_alt)
        key = (icon, tag_class, tag_alt)
        tag = _tags.get(key)
        if tag is None:
            tag = super().tag(name, tag_class, tag_alt)
            if len(_tags) < MAX_TAGS:
                _tags[key] = tag
        return tag
