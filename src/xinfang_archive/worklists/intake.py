"""The registrar's home: register, today's intake, cases waiting to be
accepted, repeat-petition warnings."""

from urllib.parse import urlencode
from xinfang_archive import _
from xinfang_archive.earlywarning.rules import current_rules
from xinfang_archive.setuphandlers import WARNINGS_ID
from xinfang_archive.worklists.block import Action
from xinfang_archive.worklists.block import Block
from xinfang_archive.worklists.block import count_of
from xinfang_archive.worklists.block import day_of
from xinfang_archive.worklists.block import list_block
from xinfang_archive.worklists.block import ROWS_SHOWN
from xinfang_archive.worklists.cases import case_query
from xinfang_archive.worklists.cases import case_rows


def _search_url(portal_url, **params):
    return f"{portal_url}/@@archive-search?{urlencode(params)}"


def todays_intake(catalog, request, today, portal_url):
    brains = case_query(
        catalog,
        received_date={"query": (today, today), "range": "min:max"},
        sort_on="created",
        sort_order="descending",
    )
    return Block(
        id="xf-home-intake",
        title=_("Registered today"),
        rows=case_rows(brains, request, today),
        count=count_of(brains),
        more_url=_search_url(
            portal_url,
            portal_type="PetitionCase",
            date_from=today.isoformat(),
            date_to=today.isoformat(),
            sort="-date",
        ),
        actions=[
            Action(_("Register a petition"), f"{portal_url}/cases/++add++PetitionCase")
        ],
    )


def awaiting_acceptance(catalog, request, today, portal_url):
    """Registered, not yet accepted or refused: the acceptance deadline first."""
    brains = case_query(catalog, review_state="registered")
    return Block(
        id="xf-home-to-accept",
        title=_("Waiting to be accepted"),
        rows=case_rows(brains, request, today),
        count=count_of(brains),
        more_url=_search_url(
            portal_url, portal_type="PetitionCase", state="registered"
        ),
    )


def repeat_warnings(catalog, request, today, portal_url):
    """Repeat-petition warnings not acknowledged yet, newest first."""
    rules, _periods = current_rules()
    rule_ids = [rule.id for rule in rules if rule.kind == "repeat"]
    brains = (
        catalog(
            portal_type="EarlyWarning",
            review_state="raised",
            warning_rule=rule_ids,
            sort_on="created",
            sort_order="descending",
            sort_limit=ROWS_SHOWN,
        )
        if rule_ids
        else []
    )
    return list_block(
        "xf-home-repeats",
        _("Repeat petitions (warnings)"),
        brains,
        lambda brain: day_of(brain.created),
        f"{portal_url}/{WARNINGS_ID}",
    )


BLOCKS = (todays_intake, awaiting_acceptance, repeat_warnings)
