"""版本历史: who changed what and when, field by field, and revert.

Works for every versioned type of the archive.  Values are shown as the
reader may see them: personal data stay masked without the permission.
Reverting needs both "Revert to earlier version" and the right to edit, and
is itself recorded as a new version.
"""

from datetime import datetime
from plone import api
from plone.autoform.interfaces import READ_PERMISSIONS_KEY
from plone.dexterity.utils import iterSchemata
from plone.protect import CheckAuthenticator
from plone.supermodel.utils import mergedTaggedValueDict
from Products.Five.browser import BrowserView
from xinfang_archive.permissions import RevertVersion
from xinfang_archive.privacy.masking import personal_fields
from xinfang_archive.privacy.masking import personal_value_for_viewer
from xinfang_archive.privacy.masking import petitioners_for_viewer
from xinfang_archive.privacy.masking import text_for_viewer
from zope.component import queryUtility
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.schema import getFieldsInOrder
from zope.security.interfaces import IPermission


def _text(value):
    """A readable one-string rendering of a field value."""
    if value is None or value == "" or value == [] or value == set():
        return ""
    if hasattr(value, "output") and hasattr(value, "raw"):  # RichTextValue
        return value.raw
    if hasattr(value, "filename") and hasattr(value, "getSize"):  # NamedFile
        return f"{value.filename} ({value.getSize()} bytes)"
    if hasattr(value, "to_object"):  # RelationValue
        target = value.to_object
        return getattr(target, "registration_number", None) or (
            target.Title() if target else ""
        )
    if isinstance(value, dict):
        return "，".join(
            f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, "", False)
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return "；".join(_text(v) for v in items)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class RecordHistoryView(BrowserView):
    def _t(self, msgid, mapping=None):
        return translate(
            Message(msgid, domain="xinfang_archive", mapping=mapping),
            context=self.request,
        )

    def __call__(self):
        form = self.request.form
        if self.request.method == "POST" and "revert" in form:
            CheckAuthenticator(self.request)
            self.revert(int(form["revert"]))
            return self.request.response.redirect(
                self.context.absolute_url() + "/@@record-history"
            )
        return self.index()

    @property
    def repository(self):
        return api.portal.get_tool("portal_repository")

    def can_revert(self):
        return api.user.has_permission(
            RevertVersion, obj=self.context
        ) and api.user.has_permission("Modify portal content", obj=self.context)

    def revert(self, version_id):
        if not self.can_revert():
            from zExceptions import Unauthorized

            raise Unauthorized("revert")
        self.repository.revert(self.context, version_id)
        self.repository.save(
            obj=self.context,
            comment=self._t("Reverted to version ${v}", {"v": version_id}),
        )
        self.context.reindexObject()
        api.portal.show_message(
            self._t("Reverted to version ${v}", {"v": version_id}), request=self.request
        )

    def _fields(self):
        """The fields, without those read with a permission the reader lacks
        (a meeting's decisions, a reception day's record of the day: their
        pages show each reader what is theirs); personal data is not left out
        but masked (``_values``)."""
        for schema in iterSchemata(self.context):
            read = mergedTaggedValueDict(schema, READ_PERMISSIONS_KEY)
            for name, field in getFieldsInOrder(schema):
                if read.get(name) == "xinfang_archive.ViewPersonalData":
                    yield name, field  # masked instead
                    continue
                permission = queryUtility(IPermission, name=read.get(name) or "")
                if permission is not None and not api.user.has_permission(
                    permission.title, obj=self.context
                ):
                    continue
                yield name, field

    def _values(self, obj):
        """Each field as text; for readers without "View personal data" the
        petitioners masked and every other value masked as free text (an
        ID number or phone typed into the summary stays hidden in the
        changes too)."""
        values = {}
        addresses = [
            row.get("address")
            for row in getattr(obj, "petitioners", None) or ()
            if isinstance(row, dict)
        ]
        personal = personal_fields(self.context)
        for name, _field in self._fields():
            value = getattr(obj, name, None)
            if name in personal:
                values[name] = _text(personal_value_for_viewer(self.context, value))
            elif name == "petitioners":
                values[name] = _text(petitioners_for_viewer(self.context, value))
            else:
                values[name] = text_for_viewer(self.context, _text(value), addresses)
        return values

    def versions(self):
        """Newest first: id, when, who, comment, and the changes to the previous one."""
        history = self.repository.getHistoryMetadata(self.context)
        if not history:
            return []
        titles = {
            name: translate(field.title, context=self.request)
            for name, field in self._fields()
        }
        entries = []
        previous = None
        for index in range(history.getLength(countPurged=False)):
            version_id = history.getVersionId(index, countPurged=False)
            meta = history.retrieve(index, countPurged=False)["metadata"][
                "sys_metadata"
            ]
            values = self._values(
                self.repository.retrieve(self.context, version_id).object
            )
            changes = []
            for name, value in values.items():
                old = previous.get(name, "") if previous is not None else ""
                if previous is not None and old != value:
                    changes.append(
                        {"field": titles.get(name, name), "old": old, "new": value}
                    )
            entries.append(
                {
                    "version_id": version_id,
                    "when": datetime.fromtimestamp(meta["timestamp"]).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "who": meta.get("principal"),
                    "comment": meta.get("comment") or "",
                    "changes": changes,
                    "first": previous is None,
                }
            )
            previous = values
        return list(reversed(entries))
