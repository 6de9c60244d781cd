"""Appraisals proposing what to do with records."""

from plone.app.testing import login
from plone.dexterity.utils import createContentInContainer


def propose(portal, codes, decision="destroy", new_period=None, user="archivist"):
    login(portal, user)
    return createContentInContainer(
        portal["archive-office"],
        "Appraisal",
        title="2024年度鉴定",
        decision=decision,
        archival_codes=list(codes),
        new_period=new_period,
        reason="保管期限已满，经鉴定无继续保存价值",
        basis="鉴定小组会议纪要〔2024〕1号",
    )
