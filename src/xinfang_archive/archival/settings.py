"""Registry records of filing (归档设置): fonds, codes and the retention schedule.

The retention schedule is a list of rules, one per line::

    conditions|period|note

``conditions`` is ``*`` (the default rule) or ``key=value[,value…]`` terms
joined by ``&``; ``period`` is ``Y`` (永久), ``D30`` or ``D10``.  See
``xinfang_archive.archival.retention`` for the keys and how rules combine.

Organisation codes map the case's responsible unit (or its category) to the
机构(问题)代码 of the archival reference code::

    unit-or-category code|organisation code|organisation title

with ``*`` for cases whose unit or category is not listed.
"""

from xinfang_archive import _
from zope import schema
from zope.interface import Interface


PREFIX = "xinfang_archive.filing"
RETENTION_RULES_RECORD = f"{PREFIX}.retention_rules"

DEFAULT_ORGANISATION_CODES = [
    "XF|XF|信访局",
    "JSJ|JSJ|住房和城乡建设局",
    "RSJ|RSJ|人力资源和社会保障局",
    "MZJ|MZJ|民政局",
    "ZRZY|ZRZY|自然资源局",
    "SFJ|SFJ|司法局",
    "HBJ|HBJ|生态环境局",
    "JW|JW|纪委监委",
    "CGZ|CGZ|城关镇",
    "CGZ-DC|CGZ|城关镇",
    "CGZ-XC|CGZ|城关镇",
    "QSX|QSX|青山乡",
    "QSX-SP|QSX|青山乡",
    "HXZ|HXZ|河西镇",
    "HXZ-LT|HXZ|河西镇",
    "*|XF|信访局",
]

# Longest period wins among the rules that match; ``*`` applies when none does.
DEFAULT_RETENTION_RULES = [
    "category=discipline|Y|纪检举报类信访事项",
    "grade=key|Y|重点信访事项",
    "flag=collective|Y|集体访",
    "stage=rereview|Y|经复核的信访事项",
    "stage=review|D30|经复查的信访事项",
    "kind=hearing_transcript|D30|经听证的信访事项",
    "meeting=leading_group|Y|经领导小组会议研究的信访事项",
    "meeting=joint,coordination|D30|经信访联席会议或协调会研究的信访事项",
    "reception=instructed|D30|领导接待日批示的信访事项",
    "stage=rejected|D10|不予受理的信访事项",
    "record=screening|D10|矛盾纠纷排查报告（含零报告）",
    "record=warning|D10|社会稳定预警记录",
    "*|D30|其他信访事项",
]


class IFilingSettings(Interface):
    """Settings of filing (归档立案) and retention."""

    fonds_code = schema.TextLine(
        title=_("Fonds code (全宗号)"),
        description=_("Four letters or digits, e.g. X001."),
        default="X001",
        required=True,
    )
    fonds_name = schema.TextLine(
        title=_("Fonds name (全宗名称)"),
        default="城西县信访局",
        required=True,
    )
    category_code = schema.TextLine(
        title=_("Category code (门类代码)"),
        description=_("Two capital letters; XF for petition records."),
        default="XF",
        required=True,
    )
    organisation_basis = schema.Choice(
        title=_("Organisation code taken from"),
        description=_("The responsible unit or the category of the case."),
        values=("unit", "category"),
        default="unit",
        required=True,
    )
    organisation_codes = schema.List(
        title=_("Organisation (problem) codes"),
        description=_(
            "help_organisation_codes",
            default="unit or category code|organisation code|organisation title per line; "
            "* for everything not listed. Organisation codes are capital letters and digits.",
        ),
        value_type=schema.TextLine(),
        default=list(DEFAULT_ORGANISATION_CODES),
        required=True,
    )
    retention_rules = schema.List(
        title=_("Retention schedule"),
        description=_(
            "help_retention_rules",
            default="conditions|period|note per line. Conditions: * or key=value[,value] terms "
            "joined by &; keys category, grade, flag, channel, unit, outcome, stage "
            "(rejected, review, rereview), kind (a reply or document kind in the case), meeting "
            "(the kind of a meeting that decided on the case), reception (received, instructed: at "
            "a leader's reception day), accountability (the measure of a decided accountability record "
            "naming the case) and record (the type of a record filed on its own: screening). "
            "Period Y, D30 or D10. The longest period of the matching rules applies; "
            "the * rule when none matches.",
        ),
        value_type=schema.TextLine(),
        default=list(DEFAULT_RETENTION_RULES),
        required=True,
    )
    transfer_receiver = schema.TextLine(
        title=_("Receiving archives (接收档案馆)"),
        description=_("The archives records are transferred (移交) to."),
        default="城西县档案馆",
        required=True,
    )
    transfer_directory = schema.TextLine(
        title=_("Directory of transfer packages"),
        description=_(
            "help_transfer_directory",
            default="Absolute path on the server where transfer packages are written; "
            "empty: the transfers directory beside the database.",
        ),
        default="",
        required=False,
    )


def filing_settings():
    """The filing settings proxy, or None where the profile is not installed."""
    from plone.registry.interfaces import IRegistry
    from zope.component import queryUtility

    registry = queryUtility(IRegistry)
    if registry is None or f"{PREFIX}.fonds_code" not in registry.records:
        return None
    return registry.forInterface(IFilingSettings, prefix=PREFIX, check=False)
