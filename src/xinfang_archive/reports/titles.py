"""The Chinese titles the monthly bulletin and its dashboard print: of the
dimensions, rates and stages, the rates' definitions (口径说明), and
:class:`Titles`, the titles of the codes counted.  Nothing here needs Plone.
"""

DIMENSION_TITLES = {
    "category": "问题类别",
    "channel": "信访渠道",
    "unit": "责任单位",
    "grade": "信访等级",
}
RATE_TITLES = {
    "acceptance_on_time": "按期受理率",
    "handling_on_time": "按期办结率",
    "reply": "回复率",
    "handling": "处理率",
    "satisfaction": "满意率",
}
# The 口径说明 printed under the rates (see reports.figures for the full text).
RATE_DEFINITIONS = {
    "acceptance_on_time": "受理期限在统计期内且已有结果（已作出受理或不予受理决定，或期限已过）的事项中，"
    "在期限当日或之前作出决定的比例；期限当日作出视为按期。",
    "handling_on_time": "办理期限（含延期）在统计期内且已有结果（已答复或办结，或期限已过）的事项中，"
    "在期限当日或之前答复（未经答复而办结的以办结日为准）的比例。",
    "reply": "与按期办结率同一范围的事项中，截至统计日已答复或办结的比例（含超期答复）。",
    "handling": "统计期内受理的事项中，截至统计日已答复或办结的比例。",
    "satisfaction": "统计期内答复或办结且有回访评价的事项中，评价为满意或基本满意的比例。",
}
STAGE_TITLES = {
    "accept": "受理",
    "handle": "办理",
    "review": "复查",
    "rereview": "复核",
}
UNASSIGNED_TITLE = "未交办"
# Printed under the rates' definitions.
RATE_NOTE = (
    "比率后括号内为分子/分母；分母为0时记“—”。统计截至制表日，按登记日期归入统计期。"
)


class Titles:
    """Chinese titles of codes, the code itself when a title is missing."""

    def __init__(self, titles):
        self.titles = titles or {}

    def __call__(self, dimension, code):
        if dimension == "unit" and not code:
            return UNASSIGNED_TITLE
        return self.titles.get(dimension, {}).get(code) or code

    def order(self, dimension):
        """Codes in the order the caller lists them (registry order)."""
        return {
            code: index for index, code in enumerate(self.titles.get(dimension, {}))
        }
