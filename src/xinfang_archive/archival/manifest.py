"""What a filed case consists of: its files with SHA-256 checksums, and a
digest of every record's metadata.

The manifest is written at filing (and rewritten by an amendment); fixity
runs compare the stored files and metadata against it.
"""

from datetime import date
from datetime import datetime
from plone.app.textfield.interfaces import IRichTextValue
from plone.dexterity.interfaces import IDexterityFTI
from plone.namedfile.interfaces import INamedFile
from plone.uuid.interfaces import IUUID
from zope.component import getUtility
from zope.schema import getFieldsInOrder

import hashlib
import json


CHUNK = 1 << 20
METADATA = "metadata"  # the ``field`` of a manifest entry holding a metadata digest


def records_of(case):
    """``(relative path, object)`` of the case and everything inside it."""

    def walk(obj, prefix):
        for child in obj.objectValues():
            path = f"{prefix}/{child.getId()}" if prefix else child.getId()
            yield path, child
            if hasattr(child, "objectValues"):
                yield from walk(child, path)

    yield "", case
    yield from walk(case, "")


def main_schema(obj):
    return getUtility(IDexterityFTI, name=obj.portal_type).lookupSchema()


def main_schema_fields(obj):
    return getFieldsInOrder(main_schema(obj))


def files_of(obj):
    """``(field name, named file)`` of the object's file fields that hold a
    file (an empty one too: the check reports it)."""
    for name, _field in main_schema_fields(obj):
        value = getattr(obj, name, None)
        if INamedFile.providedBy(value):
            yield name, value


def relation_target_uid(relation):
    """A relation by its target's UID: the same in every site the record
    is exported to (intids are local to one database).  A relation to a
    record that is not in this archive (imported without it) keeps the
    target's UID it was given."""
    target = getattr(relation, "to_object", None)
    if target is not None:
        return IUUID(target, None)
    return getattr(relation, "target_uid", None)


def legacy_relation_id(relation):
    """How digests named relations before version 1004: by local intid."""
    return relation.to_id


def _plain(value, relation=relation_target_uid):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v, relation) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v, relation) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, relation) for k, v in value.items()}
    if INamedFile.providedBy(value):
        # not the size: reading it opens the blob, whose bytes have their own checksum
        return {"filename": value.filename, "content_type": value.contentType}
    if IRichTextValue.providedBy(value):
        return value.raw
    if hasattr(value, "to_id"):  # a relation
        return {"relation": relation(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def metadata_digest(obj, relation=relation_target_uid):
    """SHA-256 over the values of the object's own schema (files by name and
    type: their bytes have their own checksums; relations by target UID)."""
    values = {
        name: _plain(getattr(obj, name, None), relation)
        for name, _f in main_schema_fields(obj)
    }
    canonical = json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_bytes(named_file):
    with named_file.open() as stream:
        return stream.read()


def sha256_stream(stream):
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
