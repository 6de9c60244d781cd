"""Masking of personal data for people without the permission to see it.

The shapes follow common Chinese government practice:
``330102********1234`` for an ID number, ``138****5678`` for a phone number,
and an address cut after its first characters (province/city/district).
"""

from AccessControl import getSecurityManager
from xinfang_archive.permissions import ViewPersonalData
from xinfang_archive.privacy.redaction import redact

import re


MASK = "*"
PERSONAL_KEYS = ("id_number", "phone", "address")


def mask_id_number(value):
    if not value:
        return value
    value = str(value)
    if len(value) <= 10:
        return MASK * len(value)
    return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_phone(value):
    if not value:
        return value
    digits = re.sub(r"\D", "", str(value))
    if len(digits) < 7:
        return MASK * len(digits)
    return digits[:3] + MASK * (len(digits) - 7) + digits[-4:]


def mask_address(value, keep=6):
    if not value:
        return value
    value = str(value)
    if len(value) <= keep:
        return MASK * 4
    return value[:keep] + MASK * 4


MASKERS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "address": mask_address,
}


def mask_name(value):
    """A person's name as ``李**``: its first character kept."""
    if not value:
        return value
    value = str(value)
    return value[0] + MASK * max(len(value) - 1, 2)


def personal_fields(obj):
    """Names of ``obj``'s schema fields that are read under "View personal
    data" (the person held to account of an accountability record…)."""
    from plone.autoform.interfaces import READ_PERMISSIONS_KEY
    from plone.dexterity.utils import iterSchemata

    names = set()
    for schema in iterSchemata(obj):
        for name, permission in (
            schema.queryTaggedValue(READ_PERMISSIONS_KEY) or {}
        ).items():
            if (
                permission == "xinfang_archive.ViewPersonalData"
                and name != "petitioners"
            ):
                names.add(name)
    return names


def personal_value_for_viewer(context, value):
    """A personal field (``personal_fields``) as the current user may see it."""
    if not value or can_view_personal_data(context):
        return value
    return mask_name(value) if isinstance(value, str) else MASK * 4


def mask_petitioner(row):
    """A copy of one petitioner row with its personal fields masked."""
    masked = dict(row)
    for key, masker in MASKERS.items():
        if key in masked:
            masked[key] = masker(masked[key])
    return masked


def can_view_personal_data(context):
    return bool(getSecurityManager().checkPermission(ViewPersonalData, context))


def petitioners_for_viewer(context, rows):
    """The petitioner rows as the current user may see them."""
    rows = list(rows or ())
    if can_view_personal_data(context):
        return [dict(row) for row in rows]
    return [mask_petitioner(row) for row in rows]


def text_for_viewer(context, text, addresses=()):
    """Free text of a record (a case's summary or request, what was said at a
    hearing) as the current user may see it: for those without "View
    personal data", the ID numbers, phones, plates and addresses in it masked
    (by their shape, and the known ``addresses`` wherever they occur)."""
    if not text or can_view_personal_data(context):
        return text
    return redact(text, addresses=[a for a in addresses if a])


# The free-text columns of a screened dispute (矛盾纠纷) that may name people.
DISPUTE_TEXT_COLUMNS = ("matter", "parties", "measures", "responsible")


def redact_rows(rows, texts):
    """``rows`` with the ``texts`` columns masked as free text, for everyone
    (records kept for readers who may not see personal data)."""
    rows = [dict(row or {}) for row in rows or ()]
    for row in rows:
        for key in texts:
            if row.get(key):
                row[key] = redact(row[key])
    return rows


def rows_for_viewer(context, rows, texts=(), addresses_in=(), addresses=()):
    """Table rows (hearing parties, speaker turns) as the current user may
    see them: the ``texts`` columns masked as free text, the ``addresses_in``
    columns as addresses."""
    rows = [dict(row or {}) for row in rows or ()]
    if can_view_personal_data(context):
        return rows
    for row in rows:
        for key in texts:
            if row.get(key):
                row[key] = redact(row[key], addresses=[a for a in addresses if a])
        for key in addresses_in:
            if row.get(key):
                row[key] = mask_address(row[key])
    return rows
