"""Upgrade to 1003: hearings, transcripts and the public board of minutes."""

from plone import api
from xinfang_archive.publicquery.codes import give_codes_to_existing_cases
from xinfang_archive.reports.facts import add_case_facts
from xinfang_archive.setuphandlers import add_hearing_folders


def add_hearings(context):
    add_hearing_folders(api.portal.get())
    give_codes_to_existing_cases(api.portal.get())
    add_case_facts(api.portal.get())  # the monthly bulletin's catalog column
