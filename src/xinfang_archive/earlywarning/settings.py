"""Registry records of early warning (预警设置), edited in @@warning-settings.

Each kind of rule has its own list of lines (``rules.py`` reads and checks
them); a trailing ``off`` column disables a rule without deleting it::

    collective_rules   id|标题|人数            a collective petition or a screened
                                               dispute of at least that many people
    repeat_rules       id|标题|petitioner 或 matter|天数
                                               the same petitioner (ID number, or
                                               name + phone) or the same matter (a
                                               case linked to an earlier one) again
                                               within that many days
    surge_rules        id|标题|category 或 unit|代码 或 *|件数|天数
                                               intake of one category or unit
                                               reaching that many cases in a window
    sensitive_rules    id|标题                  key-grade matters (重点 grade,
                                               collective petitions, screened
                                               disputes of key risk) arriving during
                                               one of the sensitive periods
    sensitive_periods  名称|YYYY-MM-DD|YYYY-MM-DD
"""

from xinfang_archive import _
from zope import schema
from zope.interface import Interface


PREFIX = "xinfang_archive.warnings"

DEFAULT_COLLECTIVE_RULES = [
    "collective-50|较大规模集体访或矛盾纠纷（50人以上）|50",
]
DEFAULT_REPEAT_RULES = [
    "repeat-petitioner-30|同一信访人30日内再次信访|petitioner|30",
    "repeat-matter-90|同一事项90日内再次信访|matter|90",
]
DEFAULT_SURGE_RULES = [
    "surge-category-7|同一类别7日内来件达到20件|category|*|20|7",
    "surge-unit-7|同一责任单位7日内交办达到30件|unit|*|30|7",
]
DEFAULT_SENSITIVE_RULES = [
    "sensitive-key|敏感时期重点信访事项|",
]


def _lines(title, description, default):
    return schema.List(
        title=title,
        description=description,
        value_type=schema.TextLine(),
        default=list(default),
        required=False,
    )


class IWarningSettings(Interface):
    """The rules of early warning (社会稳定预警)."""

    collective_rules = _lines(
        _("Collective petitions and large disputes"),
        _(
            "help_collective_rules",
            default="id|title|number of people per line: a collective petition, or a dispute found by the "
            "screening, of at least that many people. Add |off to disable a rule.",
        ),
        DEFAULT_COLLECTIVE_RULES,
    )
    repeat_rules = _lines(
        _("Repeat petitions"),
        _(
            "help_repeat_rules",
            default="id|title|petitioner or matter|days per line: the same petitioner (ID number, or name and "
            "phone) or the same matter (a case linked to an earlier case) again within that many days. "
            "Add |off to disable a rule.",
        ),
        DEFAULT_REPEAT_RULES,
    )
    surge_rules = _lines(
        _("Surges of intake"),
        _(
            "help_surge_rules",
            default="id|title|category or unit|code or *|number of cases|days per line: the cases received of "
            "one category (or assigned to one unit) reach that number within a window of that many days "
            "(windows follow each other from a fixed day; * stands for each category or unit). "
            "Add |off to disable a rule.",
        ),
        DEFAULT_SURGE_RULES,
    )
    sensitive_rules = _lines(
        _("Sensitive periods: rules"),
        _(
            "help_sensitive_rules",
            default="id|title per line: during a sensitive period, every key matter that arrives (a case of "
            "grade key or a collective petition, a screened dispute of key risk) raises a warning. "
            "Add |off to disable a rule.",
        ),
        DEFAULT_SENSITIVE_RULES,
    )
    sensitive_periods = _lines(
        _("Sensitive periods"),
        _(
            "help_sensitive_periods",
            default="name|first day|last day per line, days as YYYY-MM-DD: important meetings and major "
            "events (重要会议、重大活动期间).",
        ),
        [],
    )
