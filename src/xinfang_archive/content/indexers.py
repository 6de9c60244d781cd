"""Catalog indexers of the archive's types.

Personal data never enters the catalog in clear: matching of petitioners
goes through keyed fingerprints (``xinfang_archive.privacy.keys``).
``SearchableText`` is answered by the full-text index
(``search.catalog_index``), which builds its own documents.
"""

from Acquisition import aq_inner
from Acquisition import aq_parent
from plone import api
from plone.indexer import indexer
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.content.interfaces import ISupervision
from xinfang_archive.privacy.keys import petitioner_keys
from xinfang_archive.workflow.clocks import current_deadline
from xinfang_archive.workflow.states import OPEN_STATES

import lxml.etree
import lxml.html


@indexer(IPetitionCase)
def case_registration_number(obj):
    return obj.registration_number


@indexer(IPetitionCase)
def case_deadline(obj):
    deadline, _kind = current_deadline(obj)
    return deadline


@indexer(IPetitionCase)
def case_petitioner_keys(obj):
    keys = []
    for row in obj.petitioners or ():
        keys.extend(petitioner_keys(row or {}))
    return keys


def _attr(name):
    @indexer(IPetitionCase)
    def index(obj):
        return getattr(obj, name, None)

    return index


case_channel = _attr("channel")
case_category = _attr("category")
case_grade = _attr("grade")
case_unit = _attr("responsible_unit")
case_handler = _attr("case_handler")
case_received_date = _attr("received_date")


@indexer(IPetitionCase)
def case_flags(obj):
    return sorted(obj.flags or ())


def html_text(value):
    """Plain text of a RichText value, read from its raw HTML with lxml
    (``.output`` would run the safe-HTML transform on every reindex)."""
    raw = getattr(value, "raw", None) if value is not None else None
    if not raw:
        return ""
    try:
        return lxml.html.fromstring(raw).text_content()
    except (lxml.etree.ParserError, ValueError):
        return ""


@indexer(ISupervision)
def supervision_deadline(obj):
    """Due while not done and its case is open: a closed (or filed) case's
    supervision waits for nobody.  The case's transitions reindex it."""
    if obj.done:
        return None
    case = aq_parent(aq_inner(obj))
    if (
        IPetitionCase.providedBy(case)
        and api.content.get_state(case, default=None) not in OPEN_STATES
    ):
        return None
    return obj.due_date
