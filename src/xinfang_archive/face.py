"""The bureau's own face: the archive's neutral logo and favicon in Plone's
site settings (where a bureau replaces them with its own), set when the
add-on is installed."""

from pathlib import Path
from plone.base.interfaces import ISiteSchema
from plone.formwidget.namedfile.converter import b64encode_file
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


BRANDING = Path(__file__).parent / "branding"


def set_logo_and_favicon():
    """Our logo and favicon, unless the bureau has set its own."""
    settings = getUtility(IRegistry).forInterface(
        ISiteSchema, prefix="plone", check=False
    )
    if not settings.site_logo:
        settings.site_logo = b64encode_file(
            "logo.svg", (BRANDING / "logo.svg").read_bytes()
        )
    if not settings.site_favicon:
        settings.site_favicon = b64encode_file(
            "favicon.svg", (BRANDING / "favicon.svg").read_bytes()
        )
        settings.site_favicon_mimetype = "image/svg+xml"
