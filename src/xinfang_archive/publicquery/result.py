"""What the public result query shows of a case, and nothing more.

Shown: the registration number, the category's title, the state, the
received / accepted / replied / closed dates, the current statutory
deadline of an open case, and the replies already issued (reply date on or
before today): kind, 文号, date, outcome and the body text with the
petitioners' names and addresses masked (``privacy.redaction``, style
"surname"; ID numbers, phones, plates and address shapes are always masked).

Never shown: the case's subject, summary and request (they name people and
places), the petitioners, the unit and people handling the case, the
documents, the replies' files (the signed letter carries the names in
clear) and supervision.

Accusation material (举报: the 纪检举报 category, or a case holding a
document marked as accusation material) is shown to no one but the roles
with "View accusation material", above all never to the accused; a query
code can leak to them. For such a case only the state, the dates and the
deadline are shown: no registration number, no category (it would say
"accusation"), no reply (it would say what was alleged and against whom),
and a neutral note that points to the written reply.
"""

from plone import api
from xinfang_archive import _
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.accusation import is_accusation_case
from xinfang_archive.privacy.redaction import redact
from xinfang_archive.vocabularies.fixed import REPLY_KINDS
from xinfang_archive.vocabularies.registry import title_of
from xinfang_archive.workflow.clocks import current_deadline
from xinfang_archive.workflow.replies import replies
from xinfang_archive.workflow.titles import object_state_text
from zope.i18n import translate

import lxml.etree
import lxml.html


# The labels of the case page's clock (the same messages).
DEADLINE_TITLES = {
    "accept": _("Accept and notify by"),
    "handle": _("Handle by"),
    "review": _("Review opinion due"),
    "rereview": _("Re-review opinion due"),
}

WITHHELD = _(
    "The details of this petition are not published online; "
    "please refer to the written reply you received."
)

_BLOCKS = (
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
)


def is_accusation(case):
    return is_accusation_case(case)


def paragraphs(value):
    """The paragraphs of a RichText value's raw HTML, as plain text."""
    raw = getattr(value, "raw", None) if value is not None else None
    if not raw:
        return []
    try:
        root = lxml.html.fragment_fromstring(raw, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return []
    for element in root.iter("br", *_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    lines = (line.strip() for line in root.text_content().splitlines())
    return [line for line in lines if line]


def _iso(value):
    return value.isoformat() if value else None


def state_title(case, request):
    return object_state_text(case, request)


def published_replies(case, request, today=None):
    """The replies issued by ``today``, oldest first, their text masked."""
    today = today or local_today()
    rows = [row or {} for row in getattr(case, "petitioners", None) or ()]
    names = [row.get("name") for row in rows]
    addresses = [row.get("address") for row in rows]
    kinds = dict(REPLY_KINDS)
    result = []
    for reply in replies(case):
        if reply.reply_date is None or reply.reply_date > today:
            continue
        # A letter often names the matter ("你反映的……问题"): its title is
        # never shown here, so it is masked like the personal data.
        text = redact(
            "\n".join(paragraphs(reply.body)),
            names=names,
            addresses=addresses,
            additions=[t for t in (getattr(case, "title", None),) if t],
            style="surname",
        )
        kind = kinds.get(reply.kind)
        result.append(
            {
                "kind": reply.kind,
                "kind_title": translate(kind, context=request) if kind else reply.kind,
                "document_number": reply.document_number or "",
                "reply_date": _iso(reply.reply_date),
                "outcome": reply.outcome,
                "outcome_title": title_of("outcomes", reply.outcome) or None,
                "text": text,
            }
        )
    return result


def public_result(case, request, today=None):
    """The JSON-ready answer of the query for ``case`` (titles translated)."""
    deadline, kind = current_deadline(case)
    accusation = is_accusation(case)
    return {
        "registration_number": None if accusation else case.registration_number,
        "category": None
        if accusation
        else title_of("categories", case.category) or None,
        "state": api.content.get_state(case, default=None),
        "state_title": state_title(case, request),
        "received_date": _iso(case.received_date),
        "accepted_on": _iso(case.accepted_on),
        "replied_on": _iso(case.replied_on),
        "closed_on": _iso(case.closed_on),
        "deadline": _iso(deadline),
        "deadline_kind": kind if deadline else None,
        "deadline_title": translate(DEADLINE_TITLES[kind], context=request)
        if deadline
        else None,
        "replies": [] if accusation else published_replies(case, request, today),
        "withheld": accusation,
        "notice": translate(WITHHELD, context=request) if accusation else None,
    }
