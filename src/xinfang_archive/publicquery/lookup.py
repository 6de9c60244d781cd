"""One attempt at the result query: rate limit, then lookup by code.

Every answer that is not a result is the same answer: a code that is
malformed (too short, a character outside the alphabet), well-formed but
unknown, or the code of another case with a typo all give ``NOT_FOUND``.
Timing follows the same path for all of them: the input is normalised and
fingerprinted and the index is asked even when the input cannot be a code,
and a FieldIndex lookup costs the same whether the key is there or not.
A match is confirmed against the code stored on the case with a
constant-time comparison before anything of the case is read.
"""

from dataclasses import dataclass
from plone import api
from xinfang_archive import _
from xinfang_archive.publicquery.codes import code_of
from xinfang_archive.publicquery.codes import INDEX
from xinfang_archive.publicquery.codes import is_well_formed
from xinfang_archive.publicquery.codes import normalise
from xinfang_archive.publicquery.codes import query_key
from xinfang_archive.publicquery.ratelimit import LIMITER
from xinfang_archive.publicquery.sharedlimit import shared_limiter

import hmac
import math


NOT_FOUND = _(
    "No petition matches this query code. Please check the code and try again."
)


def too_many_message(retry_after):
    return _(
        "error_result_query_rate",
        default="Too many queries. Please try again in ${minutes} minutes.",
        mapping={"minutes": max(1, math.ceil(retry_after / 60))},
    )


@dataclass
class Attempt:
    case: object = None
    retry_after: int = None

    @property
    def limited(self):
        return self.retry_after is not None


def find_case(text):
    """The case whose code is ``text`` (as typed), or None. Unrestricted:
    the code is the petitioner's authority to see the result; writes nothing."""
    code = normalise(text)
    key = query_key(code, create_secret=False)
    catalog = api.portal.get_tool("portal_catalog")
    if key is None or INDEX not in catalog.indexes():
        return None  # nothing can be found: no secret or no index yet
    brains = catalog.unrestrictedSearchResults(
        portal_type="PetitionCase", **{INDEX: key}
    )
    wanted = code.encode("utf-8")
    matches = [
        case
        for case in (brain._unrestrictedGetObject() for brain in brains)
        if hmac.compare_digest((code_of(case) or "").encode("utf-8"), wanted)
    ]
    if not is_well_formed(code) or len(matches) != 1:
        return None
    return matches[0]


def attempt(request, text, limiter=None):
    """Count the attempt of the request's client; look up only if allowed."""
    if limiter is None:
        limiter = shared_limiter() or LIMITER
    wait = limiter.hit(request.getClientAddr())
    if wait is not None:
        return Attempt(retry_after=wait)
    return Attempt(case=find_case(text))
