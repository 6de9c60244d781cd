"""Upgrade to 1014: early warnings (社会稳定预警), their folder and indexes."""
from plone import api
from xinfang_archive.setuphandlers import add_catalog_indexes
from xinfang_archive.setuphandlers import add_warning_folder


def add_warnings(context):
    portal = api.portal.get()
    add_catalog_indexes(portal)
    add_warning_folder(portal)
