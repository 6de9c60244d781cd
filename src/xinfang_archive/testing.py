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

import os


os.environ.setdefault("zope_i18n_compile_mo_files", "true")


class XinfangArchiveLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi
        import xinfang_archive

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=xinfang_archive)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "plone.app.contenttypes:default")
        applyProfile(portal, "xinfang_archive:default")
        # Like the real site: Chinese first, English as the fallback.
        registry = portal.portal_registry
        registry["plone.available_languages"] = ["zh-cn", "en"]
        registry["plone.default_language"] = "zh-cn"


FIXTURE = XinfangArchiveLayer()

INTEGRATION_TESTING = IntegrationTesting(
    bases=(FIXTURE,), name="XinfangArchiveLayer:IntegrationTesting"
)

FUNCTIONAL_TESTING = FunctionalTesting(
    bases=(FIXTURE, zope_testing.WSGI_SERVER_FIXTURE),
    name="XinfangArchiveLayer:FunctionalTesting",
)
