"""Upgrade to 1014: early warnings (社会稳定预警), their folder and indexes."""

from plone import api
from xinfang_archive.setuphandlers import add_catalog_indexes
from xinfang_archive.setuphandlers import add_warning_folder
from xinfang_archive.upgrades.records import add_schedule_rules


def add_warnings(context):

    portal = api.portal.get()
    add_catalog_indexes(portal)
    add_warning_folder(portal)
    add_schedule_rules()  # record=warning: acknowledged warnings are filed on their own
