"""Creating the archive site (Plone Classic UI, zh-cn) in a Zope application."""

from zope.component.hooks import setSite

import transaction


ADMIN = "admin"
# Benign set-up chatter of Plone's site creation, hidden from the console.
QUIET_LOGGERS = (
    "GenericSetup.componentregistry",
    "Products.MimetypesRegistry.MimeTypesRegistry",
    "ZODB.FileStorage",
)
DEFAULT_SITE_ID = "xinfang"
SITE_TITLE = "信访档案馆"
EXTENSION_PROFILES = (
    "plone.app.contenttypes:default",
    "plone.app.layout:default",
    "plonetheme.barceloneta:default",
    "xinfang_archive:default",
)


def ensure_admin(app, password, reset=False):
    """Create the Zope admin (Manager); with ``reset``, set its password.

    The Zope root's user folder is a PluggableAuthService once PlonePAS has
    started; its ZODB user manager (``users``) changes passwords.
    """
    users = app.acl_users
    if users.getUser(ADMIN) is None:
        users._doAddUser(ADMIN, password, ["Manager"], [])
        return "created"
    if reset:
        manager = getattr(users, "users", None)
        if manager is not None and hasattr(manager, "updateUserPassword"):
            manager.updateUserPassword(ADMIN, password)
        else:
            users.userFolderEditUser(ADMIN, password, ["Manager"], [])
        return "updated"
    return "kept"


def ensure_site(app, site_id=DEFAULT_SITE_ID, title=SITE_TITLE):
    """The archive site, created with the add-on when it is absent."""
    from Products.CMFPlone.factory import addPloneSite

    if site_id in app.objectIds():
        site = app[site_id]
        setSite(site)
        return site, False
    site = addPloneSite(
        app,
        site_id,
        title=title,
        default_language="zh-cn",
        portal_timezone="Asia/Shanghai",
        extension_ids=EXTENSION_PROFILES,
    )
    setSite(site)
    # Plone leaves 127.0.0.1 unthemed by default (a way to reach the site
    # without Diazo); this site is served there, so it is themed there too.
    registry = site.portal_registry
    registry["plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist"] = []
    transaction.get().note(f"xinfang-archive: created site {site_id}")
    return site, True


PROFILE = "xinfang_archive:default"


def upgrade_site(site):
    """Run the add-on's pending upgrade steps (GenericSetup's, as the add-ons
    control panel would); ``(from, to)`` versions, or None when up to date.

    ``init`` calls this on an existing site, so that new code and its
    database meet before the site serves; the upgrade is audited."""
    from xinfang_archive.audit.recorder import record

    setup = site.portal_setup
    if not setup.listUpgrades(PROFILE):
        return None
    before = ".".join(setup.getLastVersionForProfile(PROFILE))
    setup.upgradeProfile(PROFILE)
    after = ".".join(setup.getLastVersionForProfile(PROFILE))
    record(
        "upgrade",
        site,
        details={"profile": PROFILE, "from": before, "to": after},
    )
    transaction.get().note(f"xinfang-archive: upgraded {PROFILE} {before} -> {after}")
    return before, after
