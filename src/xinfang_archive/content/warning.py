"""预警: an early warning (EarlyWarning) and its container (WarningFolder at
/warnings).

A warning is raised by the system when a rule of the registry matches
(``earlywarning``): it names the rule (id, kind and the title the rule had
then), the records that triggered it by UID, a short summary written from
codes and counts (never a petitioner's name or number), the unit it concerns
and the day the matter arose.  Its id is made from its key (the rule and what
triggered it), so the same warning is never raised twice.  A person
acknowledges it with a note (``xf_warning_workflow``); who and when are kept.
An acknowledged warning is filed on its own (``archival/records.py``).
"""

from plone.autoform import directives
from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.archival.interfaces import IFileableRecord
from xinfang_archive.content.derived_title import derived_title
from xinfang_archive.content.folder import LargeFolder
from xinfang_archive.content.frozen import frozen_guard
from xinfang_archive.content.interfaces import IEarlyWarning
from xinfang_archive.content.interfaces import IWarningFolder
from xinfang_archive.content.marshaling import personal_dump
from xinfang_archive.content.validators import at_most
from xinfang_archive.content.validators import TEXT_CHARS
from zope import schema
from zope.interface import implementer


class IWarningFolderSchema(model.Schema):
    """No fields of its own."""


@implementer(IWarningFolder)
class WarningFolder(LargeFolder):
    """Holds the early warnings (every new case may raise some)."""


class IEarlyWarningSchema(model.Schema):
    rule_id = schema.TextLine(title=_("Rule"), required=True)
    rule_kind = schema.Choice(
        title=_("Kind of rule"),
        vocabulary="xinfang_archive.warning_kinds",
        required=True,
    )
    rule_title = schema.TextLine(title=_("Rule title"), required=True)
    warning_key = schema.TextLine(title=_("Warning key"), required=True)
    records = schema.List(
        title=_("Records that triggered it"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    summary = schema.Text(
        title=_("Summary"), required=True, constraint=at_most(TEXT_CHARS)
    )
    unit = schema.Choice(
        title=_("Unit"), vocabulary="xinfang_archive.units", required=False
    )
    occurred_on = schema.Date(title=_("Day of the matter"), required=False)
    restricted = schema.Bool(
        title=_("About accusation material"),
        description=_("Read by the bureau only: it concerns an accusation (举报)."),
        required=False,
        default=False,
    )
    acknowledged_by = schema.TextLine(title=_("Acknowledged by"), required=False)
    acknowledged_on = schema.Datetime(title=_("Acknowledged on"), required=False)
    acknowledgement = schema.Text(
        title=_("Note of the acknowledgement"),
        required=False,
        constraint=at_most(TEXT_CHARS),
    )
    # Written by the rules and the acknowledgement, never in a form.
    directives.omitted(
        "rule_id",
        "rule_kind",
        "rule_title",
        "warning_key",
        "records",
        "summary",
        "unit",
        "occurred_on",
        "restricted",
        "acknowledged_by",
        "acknowledged_on",
        "acknowledgement",
    )


@implementer(IEarlyWarning, IFileableRecord)
@frozen_guard
@personal_dump
@derived_title
class EarlyWarning(Item):
    def Title(self):
        day = getattr(self, "occurred_on", None)
        title = (
            getattr(self, "rule_title", None) or getattr(self, "rule_id", None) or ""
        )
        return f"{title}（{day.isoformat()}）" if day else title

    def Description(self):
        return getattr(self, "summary", None) or ""
