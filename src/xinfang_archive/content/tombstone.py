"""销毁记录 Tombstone: what remains of a destroyed case file.

It keeps the archival code (so that the numbering stays gap-free), the
title and dates, the reason and the people of the appraisal that destroyed
it, and the list of the files that were destroyed (names and checksums).
"""

from plone.dexterity.content import Item
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.archival.interfaces import ITombstone
from zope import schema
from zope.interface import implementer


class ITombstoneSchema(model.Schema):
    title = schema.TextLine(title=_("Title"), required=True)
    archival_code = schema.TextLine(title=_("Archival code"), required=True)
    registration_number = schema.TextLine(
        title=_("Registration number"), required=False
    )
    received_date = schema.Date(title=_("Received date"), required=False)
    closed_on = schema.Date(title=_("Closed on"), required=False)
    filing_year = schema.Int(title=_("Year"), required=False)
    retention_period = schema.TextLine(title=_("Retention period"), required=False)
    filed_on = schema.Datetime(title=_("Filed on"), required=False)
    destroyed_on = schema.Datetime(title=_("Destroyed on"), required=True)
    reason = schema.Text(title=_("Reason for destruction"), required=True)
    appraisal = schema.TextLine(title=_("Appraisal"), required=False)
    proposed_by = schema.TextLine(title=_("Proposed by"), required=False)
    approved_by = schema.TextLine(title=_("Approved by"), required=False)
    executed_by = schema.TextLine(title=_("Destroyed by"), required=False)
    destroyed_files = schema.List(
        title=_("Destroyed files"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )


@implementer(ITombstone)
class Tombstone(Item):
    """What remains of a destroyed case file."""
