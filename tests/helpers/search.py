"""Cases committed to a site's search index, and what a search finds."""

from plone import api
from tests.helpers.cases import case_data
from xinfang_archive.search.searching import archive_search

import transaction


def create_case(site, **overrides):
    case = api.content.create(
        container=site["cases"], type="PetitionCase", **case_data(**overrides)
    )
    transaction.commit()
    return case


def found(site, text, **kwargs):
    return [
        item["uid"]
        for item in archive_search(site.REQUEST, text=text, **kwargs)["items"]
    ]
