"""Language of the records themselves.

Record titles that the archive derives (a reply's kind, a state's name in a
catalogue) are written in the bureau's language, not in the language of
whoever happens to trigger the indexing.
"""
from zope.i18n import translate


RECORD_LANGUAGE = "zh_CN"


def record_text(message):
    """``message`` translated into the record language."""
    if message is None:
        return ""
    return translate(message, target_language=RECORD_LANGUAGE)
