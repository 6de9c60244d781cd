"""The search index of the current site: where it lives, how to ask it.

The index directory is, in this order: the registry's ``index_path``;
``$XINFANG_SEARCH_INDEX``; ``$XINFANG_ARCHIVE_VAR/search-index`` (set by
the instance's zope.conf); ``search-index`` beside the FileStorage's
directory. Storages without a file (tests' DemoStorage) need one of the
first two.
"""

from AccessControl import getSecurityManager
from pathlib import Path
from plone import api
from xinfang_archive.search.analysis import DEFAULT_DICTIONARY
from xinfang_archive.search.analysis import segmenter
from xinfang_archive.search.settings import search_settings
from xinfang_archive.search.store import open_store
from zope.component.hooks import getSite

import os


INDEX_ENV = "XINFANG_SEARCH_INDEX"


class SearchNotConfigured(Exception):
    """No directory for the index can be found."""


def index_root(site=None):
    settings = search_settings()
    configured = (settings.index_path or "").strip() if settings is not None else ""
    if configured:
        return Path(configured)
    if os.environ.get(INDEX_ENV):
        return Path(os.environ[INDEX_ENV])
    if os.environ.get("XINFANG_ARCHIVE_VAR"):
        return Path(os.environ["XINFANG_ARCHIVE_VAR"]) / "search-index"
    site = site or getSite()
    storage = site._p_jar.db().storage if site is not None and site._p_jar else None
    name = getattr(storage, "getName", lambda: "")()
    if name and os.path.isfile(name):
        return Path(name).resolve().parent.parent / "search-index"
    raise SearchNotConfigured(
        f"No directory for the search index: set {INDEX_ENV} or the index path in the settings."
    )


def engine_name():
    settings = search_settings()
    return settings.engine if settings is not None and settings.engine else "tantivy"


def current_store(site=None):
    return open_store(index_root(site), engine_name())


def current_segmenter():
    settings = search_settings()
    words = (
        tuple(settings.dictionary or ()) if settings is not None else DEFAULT_DICTIONARY
    )
    return segmenter(words or DEFAULT_DICTIONARY)


def is_installed():
    return search_settings() is not None


def user_principals():
    """The current user's roles and ``user:``/group tokens, as the catalog
    filters with them (Manager sees all)."""
    user = getSecurityManager().getUser()
    catalog = api.portal.get_tool("portal_catalog")
    return catalog._listAllowedRolesAndUsers(user)
