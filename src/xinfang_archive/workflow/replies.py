"""Finding the replies of a case."""

from xinfang_archive.content.interfaces import IReply


def replies(case, kind=None):
    """Replies in ``case`` (optionally of one kind), oldest reply date first."""
    found = [
        obj
        for obj in case.objectValues()
        if IReply.providedBy(obj) and (kind is None or obj.kind == kind)
    ]
    return sorted(found, key=lambda r: (r.reply_date is None, r.reply_date))


def latest_reply(case, kind, since=None):
    """The newest reply of ``kind`` dated on or after ``since``."""
    candidates = [
        r
        for r in replies(case, kind)
        if since is None or (r.reply_date and r.reply_date >= since)
    ]
    return candidates[-1] if candidates else None
