"""Records whose title is made from their fields (a report's unit and
period, a meeting's kind and date …): nobody types it, so it never
disagrees with them."""


def _title(self):
    return self.Title()


def _ignore(self, value):
    """The title is derived; values written to it are ignored."""


def derived_title(cls):
    """Class decorator: ``title`` is ``Title()``; values written to it (by
    forms, importers, ``api.content.create``) are ignored.  A decorator, not
    a mixin class: zope.interface would give a plain base class its own
    ``__providedBy__``, hiding Dexterity's, and the schema would no longer
    adapt."""
    cls.title = property(_title, _ignore)
    return cls
