"""Vocabularies the statutory rules depend on: not editable by a bureau."""

from xinfang_archive import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


REPLY_KINDS = (
    ("acceptance_notice", _("Acceptance notice")),  # 受理告知书
    ("rejection_notice", _("Rejection notice")),  # 不予受理告知书
    ("extension_notice", _("Extension notice")),  # 延期告知书
    ("handling_opinion", _("Handling opinion")),  # 处理意见书
    ("review_opinion", _("Review opinion")),  # 复查意见书
    ("rereview_opinion", _("Re-review opinion")),  # 复核意见书
)

CASE_FLAGS = (
    ("repeat", _("Repeat petition")),  # 重复访
    ("skip_level", _("Skip-level petition")),  # 越级访
    ("collective", _("Collective petition")),  # 集体访
)


# Who speaks at a hearing.  Parties of the first group are private persons
# whose names are masked on publication; the second group speaks in office.
HEARING_ROLES = (
    ("petitioner", _("Petitioner")),  # 信访人
    ("agent", _("Agent of the petitioner")),  # 代理人
    ("third_party", _("Third party")),  # 第三人
    ("witness", _("Witness")),  # 证人
    ("unit", _("Representative of the unit")),  # 承办单位代表
    ("chair", _("Chair")),  # 主持人
    ("panelist", _("Hearing panelist")),  # 听证员
    ("recorder", _("Recorder")),  # 记录员
    ("other", _("Other")),  # 其他
)
# "other" counts as private: a speaker of unknown standing is masked.
PRIVATE_HEARING_ROLES = frozenset(
    {"petitioner", "agent", "third_party", "witness", "other"}
)


# Retention periods (保管期限, DA/T 22): code → years (None: permanent),
# longest first, and their titles.
PERIODS = {"Y": None, "D30": 30, "D10": 10}
PERIOD_TITLES = {
    "Y": _("Permanent"),  # 永久
    "D30": _("30 years"),  # 30年
    "D10": _("10 years"),  # 10年
}


APPRAISAL_DECISIONS = (
    ("destroy", _("Destroy")),  # 销毁
    ("extend", _("Extend the retention period")),  # 延长保管期限
    ("transfer", _("Transfer")),  # 移交
)


# 矛盾纠纷排查: how often units report, and the risk grade of a dispute
# (lowest first: the status view shows a report's highest grade).
SCREENING_PERIODS = (
    ("month", _("Monthly")),  # 按月
    ("quarter", _("Quarterly")),  # 按季度
)

RISK_GRADES = (
    ("early", _("Early sign")),  # 苗头
    ("ordinary", _("Ordinary risk")),  # 一般
    ("key", _("Key risk")),  # 重点
)

DISPUTE_STATES = (
    ("open", _("Being resolved")),  # 化解中
    ("resolved", _("Resolved")),  # 已化解
)

# 信访联席会议, 信访协调会, 领导小组会议: the meetings that settle hard cases.
MEETING_KINDS = (
    ("joint", _("Joint petition meeting")),  # 信访联席会议
    ("coordination", _("Petition coordination meeting")),  # 信访协调会
    ("leading_group", _("Leading group meeting")),  # 领导小组会议
)


# 责任追究: why a unit or person is held to account, and the measure taken
# (mildest first).  Overdue handling and a missing zero report must name the
# records that show it (content/accountability.py).
ACCOUNTABILITY_CAUSES = (
    ("overdue", _("Overdue handling")),  # 逾期办理
    ("supervision_ignored", _("Supervision ignored")),  # 督办不力
    ("missing_report", _("Missing zero report")),  # 漏报零报告
    ("other", _("Other cause")),  # 其他
)

ACCOUNTABILITY_MEASURES = (
    ("criticism", _("Circulated criticism")),  # 通报批评
    ("talk", _("Admonitory talk")),  # 约谈
    ("admonition", _("Admonishment")),  # 诫勉谈话
    ("self_examination", _("Ordered self-examination")),  # 责令检查
    ("organisational", _("Organisational measure")),  # 组织处理
    ("discipline", _("Proposed disciplinary sanction")),  # 党纪政务处分建议
)

# 社会稳定预警: the kinds of early-warning rule (earlywarning/rules.py).
WARNING_KINDS = (
    (
        "collective",
        _("Collective petition or large dispute"),
    ),  # 集体访、较大规模矛盾纠纷
    ("repeat", _("Repeat petition")),  # 重复信访
    ("surge", _("Surge of intake")),  # 来件激增
    ("sensitive", _("Key matter in a sensitive period")),  # 敏感时期重点事项
)


def _vocabulary(pairs):
    return SimpleVocabulary(
        [SimpleTerm(value=value, token=value, title=title) for value, title in pairs]
    )


@provider(IVocabularyFactory)
def reply_kinds_vocabulary(context=None):
    return _vocabulary(REPLY_KINDS)


@provider(IVocabularyFactory)
def hearing_roles_vocabulary(context=None):
    return _vocabulary(HEARING_ROLES)


@provider(IVocabularyFactory)
def case_flags_vocabulary(context=None):
    return _vocabulary(CASE_FLAGS)


@provider(IVocabularyFactory)
def appraisal_decisions_vocabulary(context=None):
    return _vocabulary(APPRAISAL_DECISIONS)


@provider(IVocabularyFactory)
def retention_periods_vocabulary(context=None):
    return _vocabulary(PERIOD_TITLES.items())


@provider(IVocabularyFactory)
def case_handlers_vocabulary(context=None):
    """Members of the 承办人 group (``case_handlers``), by full name; and the
    handler a record already names (one who left, or of the archive a record
    was imported from), under their id, so that old records never break."""
    from plone import api

    group = api.group.get(groupname="case_handlers")
    terms = []
    members = (
        sorted(group.getGroupMembers(), key=lambda m: m.getId())
        if group is not None
        else []
    )
    for member in members:
        user_id = member.getId()
        name = member.getProperty("fullname", "") or user_id
        terms.append(
            SimpleTerm(
                value=user_id,
                token=user_id,
                title=f"{name} ({user_id})" if name != user_id else user_id,
            )
        )
    current = getattr(context, "case_handler", None)
    if isinstance(current, str) and current and current not in {t.value for t in terms}:
        terms.append(SimpleTerm(value=current, token=current, title=current))
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def screening_periods_vocabulary(context=None):
    return _vocabulary(SCREENING_PERIODS)


@provider(IVocabularyFactory)
def risk_grades_vocabulary(context=None):
    return _vocabulary(RISK_GRADES)


@provider(IVocabularyFactory)
def dispute_states_vocabulary(context=None):
    return _vocabulary(DISPUTE_STATES)


@provider(IVocabularyFactory)
def meeting_kinds_vocabulary(context=None):
    return _vocabulary(MEETING_KINDS)


@provider(IVocabularyFactory)
def accountability_causes_vocabulary(context=None):
    return _vocabulary(ACCOUNTABILITY_CAUSES)


@provider(IVocabularyFactory)
def accountability_measures_vocabulary(context=None):
    return _vocabulary(ACCOUNTABILITY_MEASURES)


@provider(IVocabularyFactory)
def warning_kinds_vocabulary(context=None):
    return _vocabulary(WARNING_KINDS)


def record_kinds():
    """``(code, title)`` of the kinds a record has besides a document's
    (the ``kind`` facet of the search): reply letters, meetings, warnings."""
    return REPLY_KINDS + MEETING_KINDS + WARNING_KINDS
