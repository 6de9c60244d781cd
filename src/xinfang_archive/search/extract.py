"""What the search index holds of an object: ``document_for(obj)``.

Every text field of every schema (Dexterity ``iterSchemata``), the titles of
chosen vocabulary terms, the text of attached files, the metadata to filter
and facet on, and the principals that may see the object (``View``: a hit
shows text, so the catalog's "Access contents information" is not enough)
and its personal data (``View personal data``). Petitioners' ID numbers,
phones and addresses, and numbers of that shape anywhere in free text, go
to the ``personal`` view only; the stored text shows them masked.

Documents inside a case carry the case's year, category, unit, channel,
grade and state, so that they filter and facet with it.
"""

from AccessControl.PermissionRole import rolesForPermissionOn
from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from DateTime import DateTime
from plone.app.textfield.interfaces import IRichTextValue
from plone.dexterity.utils import iterSchemata
from plone.namedfile.interfaces import INamedFile
from plone.uuid.interfaces import IUUID
from Products.CMFCore.utils import getToolByName
from xinfang_archive.content.indexers import html_text
from xinfang_archive.content.interfaces import ICoordinationMeeting
from xinfang_archive.content.interfaces import ILeaderReception
from xinfang_archive.content.lineage import case_of
from xinfang_archive.content.reception_links import received_cases
from xinfang_archive.permissions import ViewAccusation
from xinfang_archive.permissions import ViewPersonalData
from xinfang_archive.privacy.masking import mask_address
from xinfang_archive.privacy.redaction import redact
from xinfang_archive.search.analysis import FIELD_SEPARATOR
from xinfang_archive.search.analysis import personal_form
from xinfang_archive.search.analysis import split_personal
from xinfang_archive.search.attachments import extract_text
from xinfang_archive.search.model import IndexDocument
from xinfang_archive.vocabularies.fixed import RISK_GRADES
from zope.schema import getFieldsInOrder
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ICollection

import datetime
import hashlib
import logging
import threading
import unicodedata


logger = logging.getLogger("xinfang_archive.search")

PERSONAL_KEYS = ("id_number", "phone", "address", "person_name", "person_post")
SKIP_FIELDS = {"registration_number"}  # added first, as a code
STORED_TEXT = 20_000  # characters kept for snippets
INHERITED = ("category", "unit", "channel", "grade", "state")
DATE_FIELDS = (
    "received_date",
    "document_date",
    "reply_date",
    "issued_on",
    "hearing_date",
    "meeting_date",
    "reception_date",
    "decision_date",
)
# Fields read with a permission of their own (a reception day's record of the
# day): never indexed while the object itself is public.
RESTRICTED_FIELDS = frozenset({"minutes", "instructions", "follow_ups"})
PUBLIC = ("Anonymous", "Authenticated")
CODE_FIELDS = ("registration_number", "archival_code", "document_number")


def allowed_tokens(obj, permission):
    """Roles and ``user:``/group ids with ``permission`` on ``obj`` (the
    shape of Plone's allowedRolesAndUsers, for any permission)."""
    allowed = set(rolesForPermissionOn(permission, obj))
    if "Anonymous" in allowed:
        return ["Anonymous"]
    if "Authenticated" in allowed:
        return ["Authenticated"]
    acl_users = getToolByName(obj, "acl_users", None)
    local = acl_users._getAllLocalRoles(obj) if acl_users is not None else {}
    for principal, roles in local.items():
        if allowed.intersection(roles):
            allowed.add("user:" + principal)
    return sorted(allowed)


class _AttachmentCache:
    """Extracted text of blobs by (oid, serial): a security reindex or a
    metadata edit must not parse the same PDF again. Bounded by the
    characters it holds (least recently used out first)."""

    def __init__(self, budget=20_000_000):
        self.budget = budget
        self.used = 0
        self.data = {}
        self.lock = threading.Lock()

    def text(self, named_file):
        blob = getattr(named_file, "_blob", None)
        key = None
        if blob is not None and getattr(blob, "_p_oid", None):
            key = (blob._p_oid, blob._p_serial)
        if key is not None:
            with self.lock:
                if key in self.data:
                    text = self.data.pop(key)
                    self.data[key] = text  # most recently used last
                    return text
        try:
            data = named_file.data
        except Exception:  # a missing blob file must not stop indexing
            logger.warning("Cannot read file %r", getattr(named_file, "filename", None))
            return ""
        text = extract_text(data, named_file.contentType, named_file.filename)
        if key is not None and len(text) <= self.budget // 4:
            with self.lock:
                while self.data and self.used + len(text) > self.budget:
                    self.used -= len(self.data.pop(next(iter(self.data))))
                if key not in self.data:
                    self.data[key] = text
                    self.used += len(text)
        return text


attachments = _AttachmentCache()


def _term_title(field, obj, value):
    try:
        bound = field.bind(obj)
        vocabulary = bound.vocabulary
        if vocabulary is None and bound.vocabularyName:
            return None
        return str(vocabulary.getTerm(value).title)
    except Exception:
        return None


def _field_texts(obj, public=False):  # noqa: C901
    """(texts, personal values) of every schema field of ``obj`` (of a
    ``public`` one, not its ``RESTRICTED_FIELDS``)."""
    texts, personal = [], []
    for schema in iterSchemata(obj):
        for name, field in getFieldsInOrder(schema):
            if name in SKIP_FIELDS or (public and name in RESTRICTED_FIELDS):
                continue
            value = getattr(aq_base(obj), name, None)
            if value is None or value == "":
                continue
            if isinstance(value, str):
                if IChoice.providedBy(field):
                    title = _term_title(field, obj, value)
                    texts.append(title or "")
                elif name in PERSONAL_KEYS:
                    personal.append(value)
                else:
                    texts.append(value)
            elif IRichTextValue.providedBy(value):
                texts.append(html_text(value))
            elif INamedFile.providedBy(value):
                texts.append(value.filename or "")
                texts.append(attachments.text(value))
            elif ICollection.providedBy(field) and isinstance(
                value, (list, tuple, set, frozenset)
            ):
                value_type = getattr(field, "value_type", None)
                for item in value:
                    if isinstance(item, dict):
                        for key, sub in item.items():
                            if not isinstance(sub, str) or not sub:
                                continue
                            (personal if key in PERSONAL_KEYS else texts).append(sub)
                    elif isinstance(item, str) and IChoice.providedBy(value_type):
                        texts.append(_term_title(value_type, obj, item) or "")
    return [t for t in texts if t], personal


def _highest_risk(obj):
    """The highest risk grade of the disputes a record lists (a screening report), or None."""
    grades = {
        row.get("risk_grade")
        for row in getattr(aq_base(obj), "disputes", None) or ()
        if isinstance(row, dict)
    }
    return next(
        (code for code, _title in reversed(RISK_GRADES) if code in grades), None
    )


def _review_state(obj):
    workflow = getToolByName(obj, "portal_workflow")
    try:
        return workflow.getInfoFor(obj, "review_state", None) or ""
    except Exception:
        return ""


def _date_of(obj):
    for name in DATE_FIELDS:
        value = getattr(aq_base(obj), name, None)
        if isinstance(value, datetime.date):
            return value
    created = obj.created() if hasattr(obj, "created") else None
    if isinstance(created, DateTime):
        return created.asdatetime().date()
    return None


def stamp(path, modified, review_state, allowed, case_state=""):
    """What verify-index compares: it changes when the object's path,
    modification, state, visibility or its case's state change."""
    micros = modified.micros() if isinstance(modified, DateTime) else 0
    raw = "|".join(
        [
            path,
            str(micros),
            review_state or "",
            ",".join(sorted(allowed)),
            case_state or "",
        ]
    )
    return hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()


def readers(obj):
    """Who finds ``obj``: those who may View it; for a meeting, whose text
    holds its decisions on every case, only those who also read every
    decision (the read permission of its ``decisions`` field), so a reader
    given Reader on one meeting cannot search the decisions hidden from them."""
    allowed = allowed_tokens(obj, "View")
    if ICoordinationMeeting.providedBy(obj):
        allowed = sorted(set(allowed) & set(allowed_tokens(obj, ViewAccusation)))
    return allowed


def catalog_allowed(obj):
    from Products.CMFPlone.CatalogTool import allowedRolesAndUsers

    return allowedRolesAndUsers(obj)()


def document_for(obj, segmenter):
    """The ``IndexDocument`` of ``obj`` (None if it has no UID)."""
    uid = IUUID(obj, None)
    if not uid:
        return None
    portal = getToolByName(obj, "portal_url").getPortalObject()
    portal_path = "/".join(portal.getPhysicalPath())
    path = "/".join(obj.getPhysicalPath())
    case = case_of(obj)
    state = _review_state(obj)
    case_state = _review_state(case) if case is not None and case is not obj else ""

    allowed = readers(obj)
    texts, personal = _field_texts(obj, public=bool(set(PUBLIC) & set(allowed)))
    codes = {name: getattr(aq_base(obj), name, None) for name in CODE_FIELDS}
    codes = {k: v for k, v in codes.items() if isinstance(v, str) and v}
    source = case if case is not None else obj
    keywords = {
        "portal_type": obj.portal_type,
        "category": getattr(aq_base(source), "category", None),
        # a record of a unit outside any case (a screening report…) has a ``unit``
        "unit": getattr(aq_base(source), "responsible_unit", None)
        or getattr(aq_base(obj), "unit", None),
        "channel": getattr(aq_base(source), "channel", None),
        "grade": getattr(aq_base(source), "grade", None) or _highest_risk(source),
        "state": case_state or state if case is not None else state,
        "retention": getattr(aq_base(obj), "retention_period", None)
        or getattr(aq_base(source), "retention_period", None),
        # an accountability record's cause and measure (责任追究)
        "cause": getattr(aq_base(obj), "cause", None),
        "measure": getattr(aq_base(obj), "measure", None),
        # the kind of a document, reply letter or meeting (会议类型), the rule of a warning
        "kind": getattr(aq_base(obj), "kind", None)
        or getattr(aq_base(obj), "document_kind", None)
        or getattr(aq_base(obj), "rule_kind", None),
    }
    keywords = {k: str(v) for k, v in keywords.items() if v}
    date = _date_of(obj)
    case_date = _date_of(source) if source is not obj else date
    year = getattr(aq_base(source), "filing_year", None) or (
        case_date.year if case_date else 0
    )

    stored = {
        "title": obj.Title(),
        "path": path[len(portal_path) :] if path.startswith(portal_path) else path,
        "portal_type": obj.portal_type,
        "date": date.isoformat() if date else "",
        "codes": codes,
        "state": state,
        "case_title": case.Title() if case is not None and case is not obj else "",
        "case_path": "/".join(case.getPhysicalPath())[len(portal_path) :]
        if case is not None
        else "",
    }
    return build_document(
        uid,
        texts=list(codes.values()) + texts,
        personal=personal,
        segmenter=segmenter,
        allowed=allowed,
        personal_allowed=allowed_tokens(obj, ViewPersonalData),
        stamp=stamp(path, obj.modified(), state, catalog_allowed(obj), case_state),
        stored=stored,
        keywords=keywords,
        year=year,
        date=date,
        addresses=_known_addresses(obj, case),
        title=stored["title"],
        description=obj.Description() if hasattr(obj, "Description") else "",
    )


def _known_addresses(obj, case):
    """The addresses of the petitioners and parties of ``obj``, its case and
    its container (a transcript's hearing), longest first."""
    holders = {id(h): h for h in (obj, case, aq_parent(aq_inner(obj))) if h is not None}
    if ILeaderReception.providedBy(
        obj
    ):  # its record of the day speaks of the cases received
        holders.update((id(c), c) for c in received_cases(obj))
    found = set()
    for holder in holders.values():
        for name in ("petitioners", "parties"):
            for row in getattr(aq_base(holder), name, None) or ():
                address = row.get("address") if isinstance(row, dict) else None
                if isinstance(address, str) and len(address.strip()) > 1:
                    found.add(address.strip())
    return sorted(found, key=len, reverse=True)


def build_document(
    uid,
    texts,
    segmenter,
    personal=(),
    allowed=("Anonymous",),
    personal_allowed=(),
    stamp="",
    stored=None,
    keywords=None,
    year=0,
    date=None,
    addresses=(),
    title="",
    description="",
):
    """An ``IndexDocument`` from plain texts: folded, personal numbers moved
    out (and masked in the stored text), segmented; the known ``addresses``
    masked in the stored text too (snippets are read by users who may not
    see them). Also used by the benchmark, which indexes text without a site."""
    normalized = unicodedata.normalize(
        "NFKC", FIELD_SEPARATOR.join(t for t in texts if t)
    )
    clean, numbers, shown = split_personal(normalized)
    for address in addresses:
        address = unicodedata.normalize("NFKC", address)
        shown = shown.replace(address, mask_address(address))
    clean = clean.lower()
    # addresses typed into free text (a screening report's notes) by their shape
    shown = redact(shown[:STORED_TEXT])
    stored = dict(stored or {}, text=shown.replace(FIELD_SEPARATOR, "\n")[:STORED_TEXT])
    return IndexDocument(
        uid=uid,
        grams=clean,
        words=segmenter.words_of(clean),
        personal=[personal_form(p) for p in [*personal, *numbers]],
        allowed=list(allowed),
        personal_allowed=list(personal_allowed),
        stamp=stamp,
        stored=stored,
        keywords={k: str(v) for k, v in (keywords or {}).items() if v},
        year=int(year or 0),
        date=date.year * 10000 + date.month * 100 + date.day if date else 0,
        title=_clean(title),
        description=_clean(description),
    )


def _clean(text):
    """Folded text without its personal numbers (a title or description)."""
    if not isinstance(text, str) or not text:
        return ""
    return split_personal(unicodedata.normalize("NFKC", text))[0].lower()
