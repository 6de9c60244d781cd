"""Test layers: one fixture, with integration and functional layers on top.

Everything that needs a site shares ``FIXTURE``; tests pick the integration
layer (transaction rolled back) or the functional one (real commits into a
DemoStorage, for concurrency and HTTP tests).
"""

from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing import zope as zope_testing
from xinfang_archive.audit.recorder import AUDIT_ENV
from xinfang_archive.audit.recorder import forget_stores as forget_audit
from xinfang_archive.search.site import INDEX_ENV
from xinfang_archive.search.store import clear_stores
from xinfang_archive.search.store import forget_stores

import os
import shutil
import tempfile
import xinfang_archive


os.environ.setdefault("zope_i18n_compile_mo_files", "true")


class XinfangArchiveLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi

        # The full-text index lives outside the ZODB: a directory per run.
        self["search_index"] = tempfile.mkdtemp(prefix="xf-search-")
        self._old_index_env = os.environ.get(INDEX_ENV)
        os.environ[INDEX_ENV] = self["search_index"]

        # So does the audit trail: one SQLite file per run.
        from xinfang_archive.audit.recorder import AUDIT_ENV

        self._old_audit_env = os.environ.get(AUDIT_ENV)
        os.environ[AUDIT_ENV] = os.path.join(self["search_index"], "audit.sqlite")

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=xinfang_archive)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "plone.app.contenttypes:default")
        applyProfile(portal, "xinfang_archive:default")
        # Like the real site: Chinese first, English as the fallback.
        registry = portal.portal_registry
        registry["plone.available_languages"] = ["zh-cn", "en"]
        registry["plone.default_language"] = "zh-cn"

    def tearDownZope(self, app):

        forget_stores()
        forget_audit()
        shutil.rmtree(self["search_index"], ignore_errors=True)
        for name, old in (
            (INDEX_ENV, self._old_index_env),
            (AUDIT_ENV, self._old_audit_env),
        ):
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


class SearchIndexFunctionalTesting(FunctionalTesting):
    """Functional tests commit into a DemoStorage that is thrown away after
    each test; the search index outside it is emptied with it."""

    def testTearDown(self):

        super().testTearDown()
        clear_stores()


FIXTURE = XinfangArchiveLayer()

INTEGRATION_TESTING = IntegrationTesting(
    bases=(FIXTURE,), name="XinfangArchiveLayer:IntegrationTesting"
)

FUNCTIONAL_TESTING = SearchIndexFunctionalTesting(
    bases=(FIXTURE, zope_testing.WSGI_SERVER_FIXTURE),
    name="XinfangArchiveLayer:FunctionalTesting",
)
