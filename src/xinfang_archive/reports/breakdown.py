"""A breakdown of the intake by one dimension (category, channel, unit or
grade): its rows in the order the bulletin and the dashboard list them, and
shares of a total.  Nothing here needs Plone.
"""


def share_tenths(count, total):
    """``count`` as a share of ``total`` in tenths of a percent, rounded half
    up (None for a total of 0)."""
    return (2000 * count + total) // (2 * total) if total else None


def breakdown_rows(bulletin, dimension, titles):
    """``(code, title, month, year to date)`` for every code counted in either,
    most frequent this month first, then by year to date, then in the
    caller's order of codes (``titles``: a :class:`reports.titles.Titles`)."""
    month, ytd = bulletin.intake.by(dimension), bulletin.intake_ytd.by(dimension)
    order = titles.order(dimension)
    codes = set(month) | set(ytd)
    ranked = sorted(
        codes,
        key=lambda code: (
            -month.get(code, 0),
            -ytd.get(code, 0),
            order.get(code, len(order)),
            code,
        ),
    )
    return [
        (code, titles(dimension, code), month.get(code, 0), ytd.get(code, 0))
        for code in ranked
    ]
