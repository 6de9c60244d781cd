"""Automatic versioning that never turns an allowed edit into Unauthorized.

plone.app.versioningbehavior saves a version on every modified event through
``portal_repository.save``, which checks "CMFEditions: Save new version" and
raises Unauthorized for a user who may edit but lacks that permission (and
for any code that modifies content on behalf of such a user).  The version is
the record of an edit that was already authorised, so we save it for that
user with the repository permission adopted for the duration of the save;
the version history still names the real user.
"""
from AccessControl import getSecurityManager
from plone.api.env import adopt_roles
from plone.app.versioningbehavior import subscribers as default
from plone.app.versioningbehavior.behaviors import IVersioningSupport
from Products.CMFEditions.Permissions import SaveNewVersion
from zope.component import getGlobalSiteManager
from zope.lifecycleevent.interfaces import IObjectAddedEvent
from zope.lifecycleevent.interfaces import IObjectModifiedEvent

import contextlib


def _repository_access(context):
    user = getSecurityManager().getUser()
    if getSecurityManager().checkPermission(SaveNewVersion, context):
        return contextlib.nullcontext()
    roles = list(user.getRolesInContext(context)) + ["Manager"]
    return adopt_roles(roles)


def create_version_on_save(context, event):
    with _repository_access(context):
        default.create_version_on_save(context, event)


def create_initial_version_after_adding(context, event):
    with _repository_access(context):
        default.create_initial_version_after_adding(context, event)


REPLACED = (
    (default.create_version_on_save, create_version_on_save, IObjectModifiedEvent),
    (
        default.create_initial_version_after_adding,
        create_initial_version_after_adding,
        IObjectAddedEvent,
    ),
)


def replace_default_handlers():
    """ZCML action: swap plone.app.versioningbehavior's handlers for ours."""
    gsm = getGlobalSiteManager()
    for original, replacement, event in REPLACED:
        gsm.unregisterHandler(original, required=(IVersioningSupport, event))
        gsm.registerHandler(replacement, required=(IVersioningSupport, event))
