"""The bureau's own face: its logo, name and contact line instead of
Plone's, and dates in Chinese form in the toolbar too."""

from plone import api
from plone.app.testing import logout
from plone.formwidget.namedfile.converter import b64decode_file
from tests.helpers.views import render

import lxml.html
import re


def page(portal, request):
    return lxml.html.fromstring(render("xf-home", portal, request))


def test_the_archive_logo_and_favicon_replace_plones(portal):
    filename, data = b64decode_file(api.portal.get_registry_record("plone.site_logo"))
    assert filename == "logo.svg" and data.startswith(b"<svg")
    favicon, _data = b64decode_file(
        api.portal.get_registry_record("plone.site_favicon")
    )
    assert favicon == "favicon.svg"
    assert (
        api.portal.get_registry_record("plone.site_favicon_mimetype") == "image/svg+xml"
    )


def test_the_header_names_the_bureau_and_the_footer_gives_its_contact_line(
    portal, request_
):
    api.portal.set_registry_record("xinfang_archive.bureau_name", "城西县信访局")
    api.portal.set_registry_record(
        "xinfang_archive.bureau_contact", "城西县人民路1号　电话 0000-12345678"
    )
    logout()
    html = page(portal, request_)
    [logo] = html.cssselect("#portal-logo")
    assert "城西县信访局" in logo.text_content()
    assert logo.cssselect("img")[0].get("src").endswith("/@@site-logo/logo.svg")
    [footer] = html.cssselect("#xf-footer")
    assert "人民路1号" in footer.text_content()
    text = html.text_content()
    assert "Plone 基金会" not in text and "Powered by Plone" not in text


def test_the_toolbar_shows_the_last_change_in_chinese(manager, request_):
    html = page(manager, request_)
    [moment] = html.cssselect("#contentview-history time")
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", moment.text_content())
    assert not html.cssselect(".pat-display-time")
