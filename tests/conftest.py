"""pytest-plone fixtures on the add-on's single layer stack, and the tests'
other fixtures; what tests share besides fixtures is in ``tests.helpers``."""

from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from pytest_plone import fixtures_factory
from tests.helpers.browser import CHROMIUM
from tests.helpers.browser import FLAGS
from tests.helpers.cases import case_data
from tests.helpers.staff import STAFF
from tests.helpers.staff import STAFF_PASSWORD
from tests.helpers.staff import STAFF_UNITS
from xinfang_archive.testing import FUNCTIONAL_TESTING
from xinfang_archive.testing import INTEGRATION_TESTING

import os
import pytest


pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (FUNCTIONAL_TESTING, "functional"),
            (INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture()
def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return portal


@pytest.fixture()
def site(functional_portal):
    """The functional (committing, HTTP-served) site, the test user as Manager."""
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    return functional_portal


@pytest.fixture()
def cases(manager):
    return manager["cases"]


@pytest.fixture()
def make_case(cases):
    def make(**overrides):
        return api.content.create(
            container=cases, type="PetitionCase", **case_data(**overrides)
        )

    return make


@pytest.fixture()
def staff(portal):
    """Users ``registrar``, ``handler``… each in the group of their role."""
    for user_id, group in STAFF.items():
        if api.user.get(username=user_id) is None:
            api.user.create(
                email=f"{user_id}@example.org",
                username=user_id,
                password="x-" + user_id * 2,
            )
            for group_id in (group, *STAFF_UNITS.get(user_id, ())):
                api.group.add_user(groupname=group_id, username=user_id)
    return STAFF


@pytest.fixture()
def staff_users(functional_portal):
    """Committed staff users (one per role group) for HTTP tests."""
    import transaction

    for user_id, group in STAFF.items():
        if api.user.get(username=user_id) is None:
            api.user.create(
                email=f"{user_id}@example.org",
                username=user_id,
                password=STAFF_PASSWORD,
            )
            for group_id in (group, *STAFF_UNITS.get(user_id, ())):
                api.group.add_user(groupname=group_id, username=user_id)
    transaction.commit()
    return STAFF


@pytest.fixture()
def session_for(request_factory, staff_users):
    """REST session for a staff user id (or "admin" for the site owner)."""
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    def make(user_id):
        if user_id == "admin":
            auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        else:
            auth = (user_id, STAFF_PASSWORD)
        session = request_factory(basic_auth=auth)
        session.headers.update(
            {"Accept": "application/json", "Accept-Language": "zh-CN"}
        )
        return session

    return make


@pytest.fixture()
def request_(portal):
    """The test request, with the add-on's browser layer (for its views)."""
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    request = portal.REQUEST
    alsoProvides(request, IXinfangArchiveLayer)
    return request


@pytest.fixture
def zh_cn():
    """The add-on's zh_CN catalog for tests without a Plone layer (pure
    functions whose messages are checked in Chinese)."""
    from xinfang_archive.i18n import standalone_domain
    from zope.component import getGlobalSiteManager
    from zope.component import queryUtility
    from zope.i18n.interfaces import ITranslationDomain

    if queryUtility(ITranslationDomain, "xinfang_archive") is not None:
        yield
        return
    domain = standalone_domain()
    registry = getGlobalSiteManager()
    registry.registerUtility(domain, ITranslationDomain, "xinfang_archive")
    yield
    registry.unregisterUtility(domain, ITranslationDomain, "xinfang_archive")


@pytest.fixture(scope="session")
def postgresql():
    """The tests' own PostgreSQL cluster (``tests.helpers.postgres``), one per session."""
    from tests.helpers.postgres import Cluster

    cluster = Cluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def relstorage_db(postgresql, tmp_path, request):
    """``(dsn, DB)``: a ZODB on RelStorage in a new database of its own."""
    from tests.helpers.postgres import open_db
    from xinfang_archive.cli.instance import libpq_dsn

    name = (
        "t_"
        + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    )
    dsn = libpq_dsn(postgresql.create_database(name))
    db = open_db(dsn, tmp_path / "blobcache")
    try:
        yield dsn, db
    finally:
        db.close()


@pytest.fixture()
def archivists(portal, staff):
    """A second archivist besides ``archivist``: four eyes for appraisals."""
    if api.user.get(username="archivist2") is None:
        api.user.create(
            email="a2@example.org", username="archivist2", password="x-archivist2-x"
        )
        api.group.add_user(groupname="archivists", username="archivist2")
    return "archivist", "archivist2"


@pytest.fixture()
def browser():
    """Debian's headless Chromium (Playwright drives it)."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), (
        "Debian chromium is required: make test installs it"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        yield browser
        browser.close()
