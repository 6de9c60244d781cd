"""Registry records of the archive (editable in the 信访档案设置 control panel).

Vocabularies are lists of ``code|标题`` lines so that stored values are stable
codes while a bureau can rename or add entries.  Units add two columns:
``code|标题|上级代码|级别`` with 级别 one of county, township, village, department.
"""

from xinfang_archive import _
from zope import schema
from zope.interface import Interface

import re


DEFAULT_CHANNELS = [
    "letter|来信",
    "visit|来访",
    "online|网上信访",
    "hotline|12345 热线",
    "mailbox|市长信箱",
    "reception_day|领导接待日",
    "outreach|下访/约访",
]

DEFAULT_CATEGORIES = [
    "land|征地拆迁",
    "labour|劳动社保",
    "enterprise|企业改制",
    "welfare|低保救助",
    "legal|涉法涉诉",
    "village|村务财务",
    "discipline|纪检举报",
    "urban|城建管理",
    "environment|环境保护",
    "other|其他",
]

DEFAULT_UNITS = [
    "CXX|城西县||county",
    "XF|信访局|CXX|department",
    "JSJ|住房和城乡建设局|CXX|department",
    "RSJ|人力资源和社会保障局|CXX|department",
    "MZJ|民政局|CXX|department",
    "ZRZY|自然资源局|CXX|department",
    "SFJ|司法局|CXX|department",
    "HBJ|生态环境局|CXX|department",
    "JW|纪委监委|CXX|department",
    "CGZ|城关镇|CXX|township",
    "CGZ-DC|东村|CGZ|village",
    "CGZ-XC|西村|CGZ|village",
    "QSX|青山乡|CXX|township",
    "QSX-SP|石坪村|QSX|village",
    "HXZ|河西镇|CXX|township",
    "HXZ-LT|柳塘村|HXZ|village",
]

DEFAULT_GRADES = [
    "early|苗头",
    "ordinary|一般",
    "key|重点",
]

DEFAULT_OUTCOMES = [
    "support|支持",
    "explain|解释说明",
    "not_supported|不予支持",
]

DEFAULT_SATISFACTION = [
    "satisfied|满意",
    "basically|基本满意",
    "dissatisfied|不满意",
]

DEFAULT_SUPERVISION_METHODS = [
    "phone|电话督办",
    "letter|发函督办",
    "on_site|现场督办",
    "meeting|会议交办",
]

DEFAULT_CLASSIFICATIONS = [
    "public|公开",
    "internal|内部",
    "secret|秘密",
]


DEFAULT_DOCUMENT_KINDS = [
    "letter|来信原件",
    "visit_record|来访登记表",
    "identity|身份证明",
    "investigation|调查材料",
    "evidence|证据材料",
    "hearing_transcript|听证笔录",
    "minutes|会议纪要",
    "other|其他材料",
]


class InvalidCodeLines(schema.ValidationError):
    __doc__ = _(
        "Each line must be code|title, with a unique code of letters, digits, - or _."
    )


_CODE = re.compile(r"^[A-Za-z0-9_\-]+$")


def valid_code_lines(lines):
    """``code|title[|…]`` lines with unique, URL-safe codes.

    Registry fields cannot carry constraints (they are persisted), so the
    control panel form applies this as a validator.
    """
    seen = set()
    for line in lines:
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2 or not _CODE.match(parts[0]) or not parts[1]:
            raise InvalidCodeLines(line)
        if parts[0] in seen:
            raise InvalidCodeLines(line)
        seen.add(parts[0])
    return True


def _lines(title, description, default):
    return schema.List(
        title=title,
        description=description,
        value_type=schema.TextLine(),
        default=list(default),
        required=True,
    )


VOCABULARY_FIELDS = (
    "channels",
    "categories",
    "units",
    "grades",
    "outcomes",
    "satisfaction_levels",
    "supervision_methods",
    "classifications",
    "document_kinds",
)


class IArchiveSettings(Interface):
    """Settings of the petition archive."""

    # The bureau's own face: beside the logo (Plone's site settings hold
    # the logo and the favicon) and in the footer.
    bureau_name = schema.TextLine(
        title=_("Bureau name"),
        description=_("Shown beside the logo and in the footer."),
        default="信访局",
        required=True,
    )
    bureau_contact = schema.TextLine(
        title=_("Contact line"),
        description=_(
            "The footer's line for the public: address, telephone, reception hours."
        ),
        default="",
        required=False,
    )

    registration_number_format = schema.TextLine(
        title=_("Registration number format"),
        description=_(
            "help_registration_number_format",
            default="Python format string with {year} and {seq}, e.g. XF-{year}-{seq:06d}. "
            "Numbers run per year.",
        ),
        default="XF-{year}-{seq:06d}",
        required=True,
    )

    accept_days = schema.Int(
        title=_("Days to accept and notify"), default=15, min=1, required=True
    )
    handle_days = schema.Int(
        title=_("Days to handle after acceptance"), default=60, min=1, required=True
    )
    max_extension_days = schema.Int(
        title=_("Maximum extension (days)"), default=30, min=0, required=True
    )
    review_request_days = schema.Int(
        title=_("Days to request a review after the reply"),
        default=30,
        min=1,
        required=True,
    )
    review_reply_days = schema.Int(
        title=_("Days to reply to a review"), default=30, min=1, required=True
    )
    rereview_request_days = schema.Int(
        title=_("Days to request a re-review after the review reply"),
        default=30,
        min=1,
        required=True,
    )
    rereview_reply_days = schema.Int(
        title=_("Days to reply to a re-review"), default=30, min=1, required=True
    )
    due_soon_days = schema.Int(
        title=_("Due soon window on the dashboard (days)"),
        default=7,
        min=1,
        required=True,
    )

    channels = _lines(_("Channels"), _("One code|title per line."), DEFAULT_CHANNELS)
    categories = _lines(
        _("Categories"), _("One code|title per line."), DEFAULT_CATEGORIES
    )
    units = _lines(
        _("Units"),
        _(
            "help_units",
            default="code|title|parent code|level per line; level is county, township, village or department.",
        ),
        DEFAULT_UNITS,
    )
    grades = _lines(_("Grades"), _("One code|title per line."), DEFAULT_GRADES)
    outcomes = _lines(_("Outcomes"), _("One code|title per line."), DEFAULT_OUTCOMES)
    satisfaction_levels = _lines(
        _("Satisfaction levels"), _("One code|title per line."), DEFAULT_SATISFACTION
    )
    supervision_methods = _lines(
        _("Supervision methods"),
        _("One code|title per line."),
        DEFAULT_SUPERVISION_METHODS,
    )
    classifications = _lines(
        _("Security classifications"),
        _("One code|title per line."),
        DEFAULT_CLASSIFICATIONS,
    )
    document_kinds = _lines(
        _("Document kinds"),
        _("One code|title per line."),
        DEFAULT_DOCUMENT_KINDS,
    )

    # 矛盾纠纷排查 (reports/screening.py): each unit reports per period.
    screening_period = schema.Choice(
        title=_("Screening period"),
        description=_("How often each unit files its dispute screening report."),
        vocabulary="xinfang_archive.screening_periods",
        default="month",
        required=True,
    )
    screening_deadline_day = schema.Int(
        title=_("Screening report deadline (day of the month)"),
        description=_(
            "A period's reports are due by this day of the month that follows it "
            "(for quarters: of the next quarter's first month)."
        ),
        default=5,
        min=1,
        max=28,
        required=True,
    )


def get_settings():
    """The archive's settings proxy (registry records under ``xinfang_archive``)."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    return getUtility(IRegistry).forInterface(
        IArchiveSettings, prefix="xinfang_archive", check=False
    )
