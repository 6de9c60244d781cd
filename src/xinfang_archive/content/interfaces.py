"""Marker interfaces of the archive's content types."""

from zope.interface import Interface


class IPetitionCase(Interface):
    """信访件: a petition case."""


class ICaseDocument(Interface):
    """案件材料: a document filed inside a case."""


class IReply(Interface):
    """答复: a statutory reply letter of a case."""


class ISupervision(Interface):
    """督办: a supervision order on a case."""


class ICaseFolder(Interface):
    """信访件库: the container that holds petition cases."""


class IArchiveOffice(Interface):
    """档案管理: the archivists' office (appraisals, holds, reports)."""


class IAppraisal(Interface):
    """鉴定: an appraisal of filed records (destroy, extend or transfer)."""


class IHold(Interface):
    """冻结: a hold that blocks the disposition of filed records."""


class IHearingFolder(Interface):
    """听证: the container of the bureau's hearings."""


class IHearing(Interface):
    """听证会: a hearing on one or more cases."""


class IHearingTranscript(Interface):
    """听证笔录: the transcript of a hearing, published as masked minutes."""


class INoticeBoard(Interface):
    """听证公告: the public board of published minutes."""


class IHearingNotice(Interface):
    """A published (masked) minutes notice: the only public form of a transcript."""


class IScreeningFolder(Interface):
    """矛盾纠纷排查: the container of the units' screening reports."""


class IScreeningReport(Interface):
    """排查报告: a unit's dispute screening report (or zero report) for a period."""


class IMeetingFolder(Interface):
    """会议: the container of the coordination meetings."""


class ICoordinationMeeting(Interface):
    """信访联席会议 / 信访协调会 / 领导小组会议: a meeting and its decisions on cases."""


class IReceptionFolder(Interface):
    """领导信访接待日: the container of the leaders' reception days (public listing)."""


class ILeaderReception(Interface):
    """领导信访接待日: one leader's reception day, published in advance."""


class IAccountabilityFolder(Interface):
    """责任追究: the container of the accountability records."""


class IAccountabilityRecord(Interface):
    """责任追究记录: a measure decided against a unit (and a person in it)."""


class IWarningFolder(Interface):
    """预警: the container of the early warnings."""


class IEarlyWarning(Interface):
    """预警: an early warning a rule raised on the records that triggered it."""
