"""Upgrade to 1009: dispute screening (矛盾纠纷排查) and its folder, and the
schedule's rule for filed screening reports."""

from plone import api
from xinfang_archive.setuphandlers import add_screening_folder


RECORD = "xinfang_archive.filing.retention_rules"


def add_screening(context):
    from xinfang_archive.upgrades.records import add_schedule_rules

    add_screening_folder(api.portal.get())
    add_schedule_rules()
