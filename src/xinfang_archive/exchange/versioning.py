"""Plone's automatic versioning, paused while an import replays versions."""

from contextlib import contextmanager
from plone.app.versioningbehavior import subscribers as versioning
from plone.app.versioningbehavior.behaviors import IVersioningSupport
from zope.component import getGlobalSiteManager
from zope.lifecycleevent.interfaces import IObjectAddedEvent
from zope.lifecycleevent.interfaces import IObjectModifiedEvent


_VERSIONING_HANDLERS = (
    (versioning.create_version_on_save, (IVersioningSupport, IObjectModifiedEvent)),
    (
        versioning.create_initial_version_after_adding,
        (IVersioningSupport, IObjectAddedEvent),
    ),
)


def _registries():
    """The global component registry and the ones it is based on (test
    layers stack registries; a subscriber lives in the one that loaded it)."""
    seen, stack = [], [getGlobalSiteManager()]
    while stack:
        registry = stack.pop()
        if registry not in seen:
            seen.append(registry)
            stack.extend(getattr(registry, "__bases__", ()))
    return seen


@contextmanager
def automatic_versioning_paused():
    """Plone saves a version when content is added or edited, stamped *now*
    and by the current user.  An import replays the recorded versions with
    their own times and authors instead, so the automatic saves are off
    while it writes (the command line owns the process: no request runs
    beside it)."""
    removed = []
    for registry in _registries():
        for handler, required in _VERSIONING_HANDLERS:
            if registry.unregisterHandler(handler, required):
                removed.append((registry, handler, required))
    try:
        yield
    finally:
        for registry, handler, required in removed:
            registry.registerHandler(handler, required)
