"""Upgrade to 1015: the catalog indexes a site made at 1014 may lack.

``warning_records`` (which warnings name a record) came after the 1014 step
had run on some sites.  ZCatalog ignores a query on an index it does not
have, so without it every warning answered "which warnings name this case":
each new case woke every warning, and a package of cases would have
carried every warning.
"""

from plone import api
from xinfang_archive.setuphandlers import add_catalog_indexes


def add_missing_indexes(context):
    add_catalog_indexes(api.portal.get())
