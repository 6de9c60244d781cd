"""Upgrade to 1009: dispute screening (矛盾纠纷排查) and its folder, and the
schedule's rule for filed screening reports."""

from plone import api
from xinfang_archive.setuphandlers import add_screening_folder
from xinfang_archive.upgrades.records import add_schedule_rules


def add_screening(context):
    add_screening_folder(api.portal.get())
    add_schedule_rules()
