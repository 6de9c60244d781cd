"""Upgrade to 1012: accountability records (责任追究) and their folder."""

from plone import api
from xinfang_archive.setuphandlers import add_accountability_folder


def add_accountability(context):
    add_accountability_folder(api.portal.get())
