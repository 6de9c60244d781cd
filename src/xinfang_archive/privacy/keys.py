"""Keyed fingerprints of personal data, for finding earlier cases of a petitioner.

The catalog must find "the same petitioner" without holding ID numbers or
phone numbers in clear: it stores HMAC-SHA256 fingerprints keyed with a
random secret kept in the site (created on install), so the index alone does
not give away the numbers, not even by trying every possible ID number.
"""

from xinfang_archive.privacy.idcard import normalize
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import getSite

import hashlib
import hmac
import re
import secrets


SECRET_KEY = "xinfang_archive.petitioner_key_secret"  # noqa: S105 (a registry key)


def ensure_secret(site):
    annotations = IAnnotations(site)
    if SECRET_KEY not in annotations:
        annotations[SECRET_KEY] = secrets.token_bytes(32)
    return annotations[SECRET_KEY]


def _secret():
    return IAnnotations(getSite()).get(SECRET_KEY) or ensure_secret(getSite())


def _digest(text):
    return hmac.new(_secret(), text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def petitioner_keys(row):
    """Fingerprints of one petitioner: by ID number, and by name + phone."""
    keys = []
    id_number = normalize(row.get("id_number"))
    if id_number:
        keys.append("id:" + _digest(id_number))
    name = (row.get("name") or "").strip()
    phone = re.sub(r"\D", "", row.get("phone") or "")
    if name and phone:
        keys.append("np:" + _digest(name + "|" + phone))
    return keys
