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


def standalone_domain():
    """The add-on's zh_CN translation domain built without Zope: compiled
    from the .po into a temporary file that is removed at exit."""
    from pathlib import Path
    from pythongettext.msgfmt import Msgfmt
    from zope.i18n.gettextmessagecatalog import GettextMessageCatalog
    from zope.i18n.translationdomain import TranslationDomain

    import atexit
    import shutil
    import tempfile

    po = (
        Path(__file__).parent
        / "locales"
        / "zh_CN"
        / "LC_MESSAGES"
        / "xinfang_archive.po"
    )
    directory = tempfile.mkdtemp(prefix="xinfang-i18n-")
    atexit.register(shutil.rmtree, directory, True)
    mo = Path(directory) / "xinfang_archive.mo"
    mo.write_bytes(Msgfmt(str(po), name="xinfang_archive").get())
    domain = TranslationDomain("xinfang_archive")
    domain.addCatalog(
        GettextMessageCatalog(RECORD_LANGUAGE, "xinfang_archive", str(mo))
    )
    return domain


def standalone_translations():
    """For a command that runs without Zope (e.g. ``verify-package``, which
    needs no instance): register the zh_CN catalog once."""
    from zope.component import getGlobalSiteManager
    from zope.component import queryUtility
    from zope.i18n.interfaces import ITranslationDomain

    if queryUtility(ITranslationDomain, "xinfang_archive") is None:
        getGlobalSiteManager().registerUtility(
            standalone_domain(), ITranslationDomain, "xinfang_archive"
        )
