"""Catalog indexers of the archive's types.

Personal data never enters the catalog in clear: SearchableText carries
names but not ID numbers, phones or addresses; matching of petitioners goes
through keyed fingerprints (``xinfang_archive.privacy.keys``).
"""
from plone.indexer import indexer
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.content.interfaces import IHearingNotice
from xinfang_archive.content.interfaces import IHearingTranscript
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.content.interfaces import IReply
from xinfang_archive.content.interfaces import ISupervision
from xinfang_archive.privacy.keys import petitioner_keys
from xinfang_archive.workflow.clocks import current_deadline

import lxml.etree
import lxml.html


def _join(*parts):
    """The parts as one text, without the ID numbers and phones typed into
    them: Plone's own search must not find a record by a personal number
    (the archive search matches them only for those who may see them)."""
    return _without_numbers(" ".join(str(p) for p in parts if p))


@indexer(IPetitionCase)
def case_searchable_text(obj):
    names = " ".join((row or {}).get("name") or "" for row in obj.petitioners or ())
    return _join(
        obj.registration_number, obj.title, obj.summary, obj.request, names,
        obj.leader_in_charge, obj.first_receiver,
    )


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


@indexer(ICaseDocument)
def document_searchable_text(obj):
    return _join(obj.title, obj.responsible, obj.document_number)


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


@indexer(IReply)
def reply_searchable_text(obj):
    return _join(obj.Title(), obj.document_number, html_text(obj.body))


@indexer(ISupervision)
def supervision_searchable_text(obj):
    return _join(obj.Title(), obj.issued_by, obj.instructions, obj.response)


@indexer(ISupervision)
def supervision_deadline(obj):
    return None if obj.done else obj.due_date


def _without_numbers(text):
    """Spoken ID and phone numbers stay out of the catalog (see module doc)."""
    from xinfang_archive.search.analysis import split_personal

    return split_personal(text)[0] if text else text


def _turns_text(turns):
    return " ".join(
        _join((row or {}).get("speaker"), (row or {}).get("text")) for row in turns or ()
    )


@indexer(IHearing)
def hearing_searchable_text(obj):
    parties = " ".join(
        _join((row or {}).get("name"), (row or {}).get("organisation")) for row in obj.parties or ()
    )
    return _join(
        obj.hearing_number, obj.title, obj.place, obj.chair, " ".join(obj.panel or ()),
        parties, _without_numbers(obj.agenda),
    )


@indexer(IHearingTranscript)
def transcript_searchable_text(obj):
    return _join(obj.title, _without_numbers(_turns_text(obj.turns)), _without_numbers(obj.free_text))


@indexer(IHearingNotice)
def notice_searchable_text(obj):
    """A notice holds masked text only, so all of it may be found."""
    return _join(
        obj.hearing_number, obj.title, obj.place, obj.chair, " ".join(obj.panel or ()),
        obj.agenda, _turns_text(obj.turns), obj.free_text,
    )
