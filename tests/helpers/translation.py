"""A list of messages in the zh_CN catalog's Chinese."""

from zope.i18n import translate


def zh(messages):
    return [translate(m, target_language="zh_CN") for m in messages]
