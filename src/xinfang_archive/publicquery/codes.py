"""Query codes (查询码): the petitioner's key to the result of their case.

A code is twelve characters from an alphabet without the characters people
confuse when reading a code aloud or typing it from paper (no 0/O, 1/I/L):
31 symbols, so 12 × log2(31) ≈ 59.5 bits, drawn with ``secrets``. It is
written in groups of four (``K7QM-2XPD-9R4T``) and typed back in any form:
hyphens, spaces, lower case and full-width characters are normalised away.

The code is a bearer secret: anyone holding it sees the result of the case.
So it is kept on the case as a plain attribute with a leading underscore
(no schema, form, serializer, full-text index or restricted Python ever
shows it; see :func:`query_code_for_display`), and the catalog holds only a
keyed HMAC fingerprint of it (``query_key``), made with the site's secret of
``privacy.keys``: the catalog alone neither gives away the codes nor lets
anyone test guesses against it offline.

Two codes colliding is a matter of the birthday bound (about 4·10⁻⁷ for a
million cases); a new code is still checked against the index and redrawn.
"""

from Acquisition import aq_base
from plone import api
from plone.indexer import indexer
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.privacy.keys import ensure_secret
from xinfang_archive.privacy.keys import SECRET_KEY
from xinfang_archive.privacy.masking import can_view_personal_data
from xinfang_archive.setuphandlers import add_catalog_indexes
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import getSite

import hashlib
import hmac
import re
import secrets
import unicodedata


ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4
CODE_ATTRIBUTE = "_query_code"
INDEX = "query_key"
MAX_INPUT = 100  # characters of user input looked at; longer input is malformed

_SEPARATORS = re.compile(r"[\s\-_.·・\u2010-\u2015\u2212\u30fc\uff5e~]")
_WELL_FORMED = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def generate_code():
    """A fresh random code, normalised (12 characters, no separators)."""
    return "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))


def normalise(text):
    """What the user typed, as a code would be stored: NFKC (full-width
    ``ｋ７ＱＭ`` is ``K7QM``), separators and white space removed, upper case."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text[: MAX_INPUT + 1])
    return _SEPARATORS.sub("", text).upper()


def is_well_formed(code):
    """Whether a *normalised* code has the shape of a code."""
    return bool(_WELL_FORMED.match(code or ""))


def format_code(code):
    """``K7QM2XPD9R4T`` → ``K7QM-2XPD-9R4T`` (for reading aloud)."""
    code = normalise(code)
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def _secret(create):
    site = getSite()
    secret = IAnnotations(site).get(SECRET_KEY)
    if secret is None and create:
        secret = ensure_secret(site)
    return secret


def query_key(code, create_secret=True):
    """The catalog's fingerprint of a normalised code.

    Keyed like the petitioner fingerprints, with its own prefix inside the
    MAC so that no other fingerprint can equal it. A lookup passes
    ``create_secret=False``: it must never write (the secret is made on
    install anyway); without a secret it gets None.
    """
    secret = _secret(create_secret)
    if secret is None:
        return None
    digest = hmac.new(secret, ("query-code|" + code).encode("utf-8"), hashlib.sha256)
    return "qc:" + digest.hexdigest()[:32]


def code_of(case):
    """The normalised code stored on ``case``, or None (no permission check)."""
    return getattr(aq_base(case), CODE_ATTRIBUTE, None) or None


def query_code_for_display(case):
    """The code of ``case`` as the petitioner is told it (``K7QM-2XPD-9R4T``),
    or None when the current user may not see personal data of the case
    (or the case has no code)."""
    code = code_of(case)
    if not code or not can_view_personal_data(case):
        return None
    return format_code(code)


def _in_use(code):
    """Whether some indexed case has ``code``.

    Asks the catalog's inner ``Catalog`` so that the pending index queue is
    not processed from inside the creation events of a case (the tool's
    ``searchResults`` would index the new case half-made).
    """
    catalog = api.portal.get_tool("portal_catalog")
    if INDEX not in catalog.indexes():
        return False
    return bool(len(catalog._catalog.searchResults({INDEX: query_key(code)})))


def new_code(taken=()):
    """A code no indexed case has and not in ``taken``."""
    for _attempt in range(20):
        code = generate_code()
        if code not in taken and not _in_use(code):
            return code
    raise RuntimeError("no free query code found")  # pragma: no cover - 2**-1000


def ensure_query_code(case, taken=()):
    """Give ``case`` a code unless it has one; returns ``(code, new)``."""
    code = code_of(case)
    if code:
        return code, False
    code = new_code(taken)
    setattr(aq_base(case), CODE_ATTRIBUTE, code)
    return code, True


# --- events and indexing --------------------------------------------------


def case_added(case, event):
    """A registered case gets its code (the subscriber of ``IObjectAddedEvent``)."""
    _code, new = ensure_query_code(case)
    if new:
        case.reindexObject(idxs=[INDEX])


def case_copied(case, event):
    """A copy is a new case: it must not share the original's code (the
    added event that follows gives it its own)."""
    if CODE_ATTRIBUTE in aq_base(case).__dict__:
        delattr(aq_base(case), CODE_ATTRIBUTE)


@indexer(IPetitionCase)
def query_key_indexer(obj):
    code = code_of(obj)
    if not code:
        raise AttributeError(INDEX)
    return query_key(code)


def give_codes_to_existing_cases(portal):
    """Upgrade step (to 1003): every case without a code gets one, and the
    ``query_key`` index is added and filled.

    The code is no record metadata (the fixity digests cover schema fields
    only), so filed cases get one too: setting an attribute fires no event
    and the catalog is updated directly, for this one index, which neither
    the freeze nor the full-text index sees as a change of the record.
    """

    catalog = api.portal.get_tool("portal_catalog")
    given = []
    taken = set()
    for brain in catalog.unrestrictedSearchResults(portal_type="PetitionCase"):
        case = brain._unrestrictedGetObject()
        code, new = ensure_query_code(case, taken)
        taken.add(code)
        if new:
            given.append(case)
    add_catalog_indexes(portal)
    for case in given:
        catalog.catalog_object(case, idxs=[INDEX], update_metadata=False)
    return len(given)
