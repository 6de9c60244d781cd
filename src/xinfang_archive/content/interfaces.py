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
