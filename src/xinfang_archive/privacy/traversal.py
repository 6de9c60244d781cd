"""No response about a record its reader may not view.

Zope checks the permission of the view it publishes, not of the object the
view is published on: a public view (``@@passwordreset``, ``@@sitemap``,
``@@main_template`` …) on a sealed accusation document or on another unit's
case would render the record's title for anyone.  After traversal, every
archive record on the path must be viewable by the user, whatever the view.
"""

from AccessControl import getSecurityManager
from AccessControl import Unauthorized
from xinfang_archive.content.interfaces import IAccountabilityRecord
from xinfang_archive.content.interfaces import ICaseDocument
from xinfang_archive.content.interfaces import ICoordinationMeeting
from xinfang_archive.content.interfaces import IEarlyWarning
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.content.interfaces import IHearingTranscript
from xinfang_archive.content.interfaces import ILeaderReception
from xinfang_archive.content.interfaces import IPetitionCase
from xinfang_archive.content.interfaces import IReply
from xinfang_archive.content.interfaces import IScreeningReport
from xinfang_archive.content.interfaces import ISupervision


RECORDS = (
    IPetitionCase,
    ICaseDocument,
    IReply,
    ISupervision,
    IHearing,
    IHearingTranscript,
    IScreeningReport,
    ICoordinationMeeting,
    ILeaderReception,
    IAccountabilityRecord,
    IEarlyWarning,
)


def _is_record(obj):
    return any(iface.providedBy(obj) for iface in RECORDS)


def refuse_unviewable_records(event):
    """IPubAfterTraversal: refuse before any view runs."""
    security = getSecurityManager()
    for obj in event.request.get("PARENTS", ()):
        if _is_record(obj) and not security.checkPermission("View", obj):
            raise Unauthorized("View")
