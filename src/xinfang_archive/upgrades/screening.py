"""Upgrade to 1009: dispute screening (矛盾纠纷排查) and its folder."""
from plone import api
from xinfang_archive.setuphandlers import add_screening_folder


def add_screening(context):
    add_screening_folder(api.portal.get())
