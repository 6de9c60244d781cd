"""Amendment (更正) of a filed record: the one way a frozen record changes.

An amendment names its reason, is checked like the data it replaces (the
field's own validation; a new file must open in an archival format), and is
recorded three times: in the case's amendment list (who, when, why, each
field before and after), as a new version in CMFEditions (with the reason as
its comment) and in the audit trail.  The manifest is brought up to date so
that fixity checks the amended bytes.

Personal data is recorded masked: the amendment list is read by people who
may not see it.
"""

from AccessControl import Unauthorized
from Acquisition import aq_base
from Acquisition import aq_parent
from datetime import datetime
from datetime import UTC
from plone import api
from plone.namedfile.interfaces import INamedFile
from plone.uuid.interfaces import IUUID
from xinfang_archive import _
from xinfang_archive.archival import formats
from xinfang_archive.archival.freeze import amending
from xinfang_archive.archival.freeze import is_frozen
from xinfang_archive.archival.interfaces import IFileableRecord
from xinfang_archive.archival.manifest import _plain
from xinfang_archive.archival.manifest import files_of
from xinfang_archive.archival.manifest import main_schema
from xinfang_archive.archival.manifest import main_schema_fields
from xinfang_archive.archival.manifest import METADATA
from xinfang_archive.archival.manifest import metadata_digest
from xinfang_archive.archival.manifest import read_bytes
from xinfang_archive.audit.recorder import record
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.permissions import AmendFiledRecord
from xinfang_archive.privacy.accusation import clearing_is_approved
from xinfang_archive.privacy.accusation import is_accusation
from xinfang_archive.privacy.masking import DISPUTE_TEXT_COLUMNS
from xinfang_archive.privacy.masking import mask_petitioner
from xinfang_archive.privacy.masking import redact
from xinfang_archive.privacy.masking import redact_rows
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.globalrequest import getRequest
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent
from zope.schema.interfaces import ValidationError

import hashlib
import json


def _free_text(text):
    return redact(text or "")


# Fields whose values are personal data (the petitioners, a report's
# disputes, free text that may carry ID numbers, phones and addresses),
# recorded masked; the amendment form leaves them to who may see them.
PERSONAL_FIELDS = {
    "petitioners": lambda rows: [mask_petitioner(dict(r)) for r in rows or []],
    "disputes": lambda rows: redact_rows(rows, DISPUTE_TEXT_COLUMNS),
    "summary": _free_text,
    "request": _free_text,
    "notes": _free_text,
    "acknowledgement": _free_text,  # a warning's note
}


class AmendmentRefused(Exception):
    """The amendment was not made; ``message`` (translatable) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def filed_unit_of(obj):
    """The filed unit ``obj`` belongs to: its case, or the record itself when
    it is filed on its own (a screening report)."""
    while obj is not None and not (
        IPetitionCase.providedBy(obj) or IFileableRecord.providedBy(obj)
    ):
        obj = aq_parent(obj)
    return obj


def display(name, value):
    """A short, JSON-safe rendering of a field value for the records."""
    if name in PERSONAL_FIELDS:
        value = PERSONAL_FIELDS[name](value)
    if INamedFile.providedBy(value):
        with value.open() as stream:
            digest = hashlib.sha256(stream.read()).hexdigest()
        return f"{value.filename} ({value.getSize()} B, SHA-256 {digest[:16]}…)"
    plain = _plain(value)
    return (
        plain
        if isinstance(plain, str)
        else json.dumps(plain, ensure_ascii=False, sort_keys=True)
    )


def _validated(obj, changes):
    fields = dict(main_schema_fields(obj))
    diffs = []
    for name, value in changes.items():
        field = fields.get(name)
        if field is None or field.readonly:
            raise AmendmentRefused(
                _("${field} cannot be amended.", mapping={"field": name})
            )
        try:
            field.bind(obj).validate(value)
        except ValidationError as error:
            raise AmendmentRefused(
                _(
                    "The new value of ${field} is not valid (${error}).",
                    mapping={
                        "field": field.title,
                        "error": error.doc() or type(error).__name__,
                    },
                )
            ) from None
        before = getattr(aq_base(obj), name, None)
        if _plain(before) != _plain(value):
            diffs.append((name, field, before, value))
    return diffs


def _check_files(diffs):
    for _name, _field, _before, value in diffs:
        if INamedFile.providedBy(value):
            inspected = formats.inspect(
                read_bytes(value), value.contentType, value.filename
            )
            if inspected.problem is not None:
                raise AmendmentRefused(inspected.problem)


def _manifest_entries(obj, path):
    uid = IUUID(obj, "")
    entries = [
        {"path": path, "uid": uid, "field": METADATA, "sha256": metadata_digest(obj)}
    ]
    for name, value in files_of(obj):
        data = read_bytes(value)
        inspected = formats.inspect(data, value.contentType, value.filename)
        entries.append(
            {
                "path": path,
                "uid": uid,
                "field": name,
                "filename": value.filename or "",
                "size": len(data),
                "content_type": value.contentType or "",
                "sha256": hashlib.sha256(data).hexdigest(),
                "pages": inspected.pages,
                "kind": inspected.kind,
            }
        )
    return entries


CHANGE_NOTE = "plone.app.versioningbehavior-changeNote"


def _save_version(obj, repository, comment, names):
    """Notify the change and keep it as one new version with ``comment``.

    plone.app.versioningbehavior versions on the modified event, with the
    request's change note as comment; without a request the version is saved
    here.  Either way under the ArchiveAmender role, the only one that may
    save versions of a filed record.
    """
    before = getattr(aq_base(obj), "version_id", None)
    request = getRequest()
    annotations = IAnnotations(request, None) if request is not None else None
    with api.env.adopt_roles(["ArchiveAmender"]):
        if annotations is not None:
            annotations[CHANGE_NOTE] = comment
        try:
            notify(ObjectModifiedEvent(obj, Attributes(main_schema(obj), *names)))
        finally:
            if annotations is not None:
                annotations.pop(CHANGE_NOTE, None)
        if getattr(
            aq_base(obj), "version_id", None
        ) == before and repository.isVersionable(obj):
            repository.save(obj, comment=comment)
    return getattr(aq_base(obj), "version_id", None)


def amend(obj, changes, reason):
    """Change ``changes`` (field name → new value) of the filed ``obj``."""
    reason = (reason or "").strip()
    if not is_frozen(obj):
        raise AmendmentRefused(
            _("Only filed records are amended; other records are edited.")
        )
    if not api.user.has_permission(AmendFiledRecord, obj=obj):
        raise Unauthorized("amend")
    if not reason:
        raise AmendmentRefused(_("An amendment needs a reason."))
    if (
        is_accusation(obj)
        and "accusation" in changes
        and not changes["accusation"]
        and not clearing_is_approved(obj)
    ):
        raise AmendmentRefused(
            _(
                "The accusation flag is cleared only on request and with a second person's approval."
            )
        )
    diffs = _validated(obj, changes)
    if not diffs:
        raise AmendmentRefused(_("The amendment changes nothing."))
    _check_files(diffs)

    case = filed_unit_of(obj)
    case_path = "/".join(case.getPhysicalPath())
    path = "/".join(obj.getPhysicalPath())[len(case_path) + 1 :]
    recorded = [
        {
            "field": name,
            "title": str(field.title),
            "before": display(name, before),
            "after": display(name, value),
        }
        for name, field, before, value in diffs
    ]
    repository = api.portal.get_tool("portal_repository")
    with amending(case):
        for name, _field, _before, value in diffs:
            setattr(obj, name, value)
        case.archival_manifest = tuple(
            [e for e in case.archival_manifest if e["path"] != path]
            + _manifest_entries(obj, path)
        )
        version = _save_version(
            obj, repository, f"更正：{reason}", [d[0] for d in diffs]
        )
    amendment = {
        "time": datetime.now(UTC).isoformat(),
        "actor": api.user.get_current().getId(),
        "reason": reason,
        "path": path,
        "title": obj.Title(),
        "changes": recorded,
        "version": version,
    }
    case.amendments.append(amendment)
    record(
        "amend",
        obj,
        details={
            "reason": reason,
            "changes": recorded,
            "version": version,
            "archival_code": case.archival_code,
        },
    )
    obj.reindexObject()
    if obj is not case:
        case.reindexObject()
    return amendment
