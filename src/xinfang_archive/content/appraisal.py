"""鉴定 Appraisal: the reviewed decision on filed records whose retention ran out.

Proposed by one archivist, approved by a second person (never the proposer),
then executed: destroy (销毁: content, blobs and versions removed, a
tombstone and a destruction list 销毁清册 left), extend (延长保管期限: a
longer period, with the reason) or transfer (移交: not available until the
exchange packages exist).  Holds block every step.  The rules are in
``xinfang_archive.archival.disposition``.
"""

from AccessControl import ClassSecurityInfo
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from xinfang_archive import _
from xinfang_archive.archival.disposition import proposal_problems
from xinfang_archive.archival.disposition import transition_problems
from xinfang_archive.content.interfaces import IAppraisal
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class IAppraisalSchema(model.Schema):
    title = schema.TextLine(title=_("Title"), required=True)
    decision = schema.Choice(
        title=_("Decision proposed"),
        vocabulary="xinfang_archive.appraisal_decisions",
        required=True,
    )
    archival_codes = schema.List(
        title=_("Archival codes"),
        description=_(
            "One archival code (档号) per line: the filed records appraised."
        ),
        value_type=schema.TextLine(),
        required=True,
        min_length=1,
    )
    new_period = schema.Choice(
        title=_("New retention period"),
        description=_("For an extension: a period longer than the current one."),
        vocabulary="xinfang_archive.retention_periods",
        required=False,
    )
    reason = schema.Text(title=_("Reason"), required=True)
    basis = schema.TextLine(
        title=_("Basis of the appraisal"),
        description=_("E.g. the minutes of the appraisal group's meeting."),
        required=False,
    )
    destruction_list = NamedBlobFile(title=_("Destruction list"), required=False)
    directives.omitted("destruction_list")

    @invariant
    def records_may_be_appraised(data):

        problems = proposal_problems(
            getattr(data, "decision", None),
            getattr(data, "archival_codes", None) or [],
            getattr(data, "new_period", None),
        )
        if problems:
            raise Invalid(problems[0])


@implementer(IAppraisal)
class Appraisal(Item):
    """An appraisal (鉴定) of filed records."""

    security = ClassSecurityInfo()

    @security.public
    def transition_allowed(self, transition_id):
        """For the workflow guards: True when the disposition rules allow it."""

        return not transition_problems(self, transition_id)
