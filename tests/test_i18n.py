"""Simplified-Chinese catalogs: complete, placeholders intact, used by the site.

i18ndude keeps the catalogs in step with the sources and polib reads them
(``tools/i18n.py``); when a test here fails because of a new message, run::

    python tools/i18n.py          # adds the new msgids to the zh_CN .po files
    python tools/i18n.py --check  # lists what still lacks a translation
"""

from pathlib import Path
from plone import api
from xinfang_archive import _
from zope.i18n import translate
from zope.i18nmessageid import Message

import gettext
import io
import polib
import pytest
import sys
import xml.etree.ElementTree as ET


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import i18n  # noqa: E402


HINT = "\nrun `python tools/i18n.py`, translate the new msgids, then `--check`"

STATES = {
    "registered": "登记",
    "accepted": "已受理",
    "rejected": "不予受理",
    "in_progress": "办理中",
    "replied": "已答复",
    "in_review": "复查中",
    "in_rereview": "复核中",
    "closed": "办结",
}

TRANSITIONS = {
    "accept": "受理",
    "reject": "不予受理",
    "assign": "交办",
    "extend": "延期",
    "reply": "出具处理意见",
    "request_review": "登记复查申请",
    "reply_review": "出具复查意见",
    "request_rereview": "登记复核申请",
    "reply_rereview": "出具复核意见",
    "close": "办结",
}


# --- the catalogs on disk --------------------------------------------------


@pytest.fixture(scope="module")
def result():
    return i18n.check(ROOT)


@pytest.fixture(scope="module")
def extraction(result):
    """The messages of the sources: {domain: {msgid: polib entry}}."""
    return {
        domain: {entry.msgid: entry for entry in catalog}
        for domain, catalog in result.catalogs.items()
    }


def test_both_domains_have_messages(result):
    assert result.counts["xinfang_archive"] > 50
    assert result.counts["plone"] >= len(STATES) + len(TRANSITIONS)
    # the committed .pot and .po files hold exactly the messages of the sources
    assert not result.out_of_step, "\n".join(result.out_of_step) + HINT


def test_every_message_has_a_zh_cn_translation(result):
    assert not result.missing, (
        "missing zh_CN translations:\n" + "\n".join(result.missing) + HINT
    )


def test_translations_keep_exactly_the_placeholders(extraction):
    problems = []
    for domain, messages in extraction.items():
        translations = {e.msgid: e for e in polib.pofile(str(i18n.po_path(domain)))}
        for msgid, message in messages.items():
            entry = translations.get(msgid)
            if entry is None or not entry.msgstr:
                continue  # reported by the completeness test
            expected = i18n.placeholders(i18n.default(message) or msgid)
            found = i18n.placeholders(entry.msgstr)
            if expected != found:
                problems.append(
                    f"{domain}: {msgid!r}: {sorted(expected)} != {sorted(found)}"
                )
    assert not problems, "\n".join(problems)


def test_messages_are_extractable(result):
    """Every ``_()`` call has a literal msgid (and default) that i18ndude reads,
    i18ndude reads every source without complaint, and every text of a template
    is marked for translation (or ``i18n:ignore``: i18ndude find-untranslated)."""
    assert not result.warnings, "\n".join(result.warnings)
    assert not result.untranslated, "\n".join(result.untranslated)


def test_every_state_and_transition_title_is_extracted(extraction):
    plone = extraction["plone"]
    for definition in (ROOT / "profiles" / "default" / "workflows").glob(
        "*/definition.xml"
    ):
        tree = ET.parse(definition)
        for element in tree.iter():
            if element.tag in ("state", "transition"):
                assert element.get("title") in plone, (definition, element.get("title"))


def test_fti_titles_and_descriptions_are_extracted(extraction):
    ours = extraction["xinfang_archive"]
    for path in (ROOT / "profiles" / "default" / "types").glob("*.xml"):
        tree = ET.parse(path)
        for prop in tree.getroot().findall("property"):
            if (
                prop.get("name") in ("title", "description")
                and (prop.text or "").strip()
            ):
                assert prop.text.strip() in ours, (path.name, prop.text)


def test_po_files_parse_and_compile():
    """The .po files compile (as zope.i18n does at start-up) and GNU gettext reads them."""
    from pythongettext.msgfmt import Msgfmt

    for domain in i18n.DOMAINS:
        path = i18n.po_path(domain)
        catalog_file = polib.pofile(str(path))
        fields = catalog_file.metadata
        assert fields["Content-Type"] == "text/plain; charset=UTF-8"
        assert fields["Language"] == "zh_CN"
        assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
        assert fields["Domain"] == domain
        mo = Msgfmt(str(path), name=domain).get()
        catalog = gettext.GNUTranslations(io.BytesIO(mo))
        for entry in catalog_file:
            assert catalog.gettext(entry.msgid) == entry.msgstr


# --- the tools themselves: i18ndude as tools/i18n.py calls it ----------------


PY_SOURCE = """
from xinfang_archive import _
from plone.base import PloneMessageFactory as PMF

A = _("Say \\"hi\\" to ${name}")
B = _("msg_multi", default="Line one, line two")
C = _("Implicit " "concatenation")
D = PMF("Not ours")
E = _(variable)
"""


def sample(tmp_path, **files):
    """A package ``pkg`` under ``tmp_path`` with ``files`` (``a_py``: ``a.py``)."""
    package = tmp_path / "pkg"
    package.mkdir(exist_ok=True)
    for name, text in files.items():
        (package / name.replace("_", ".")).write_text(text, encoding="utf-8")


def build(tmp_path, domain="xinfang_archive"):
    pot = tmp_path / f"{domain}.pot"
    said = i18n.rebuild_pot(domain, pot, root=tmp_path, sources=("pkg",))
    return {entry.msgid: entry for entry in polib.pofile(str(pot))}, said


def test_python_extraction_reads_only_our_factory(tmp_path):
    sample(tmp_path, sample_py=PY_SOURCE)
    messages, said = build(tmp_path)
    assert set(messages) == {
        'Say "hi" to ${name}',
        "msg_multi",
        "Implicit concatenation",
    }
    assert i18n.default(messages["msg_multi"]) == "Line one, line two"
    assert messages['Say "hi" to ${name}'].occurrences == [("pkg/sample.py", "")]
    assert not said
    # what i18ndude silently skips is reported by the check
    warnings = i18n.unreadable_calls(tmp_path, package="pkg")
    assert len(warnings) == 1 and "pkg/sample.py:9" in warnings[0]
    assert build(tmp_path, "plone")[0] == {}  # the plone domain takes no Python


def test_po_round_trip_escapes_quotes_and_newlines(tmp_path):
    sample(tmp_path, sample_py=PY_SOURCE)
    build(tmp_path)
    pot = tmp_path / "xinfang_archive.pot"
    po = tmp_path / "zh_CN.po"
    translations = {
        'Say "hi" to ${name}': '向${name}说“嗨”和"你好"',
        "msg_multi": "第一行\n第二行 \\ 与制表符\t。",
    }
    catalog = polib.POFile()
    catalog.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_CN",
    }
    for msgid, msgstr in translations.items():
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalog.save(str(po))
    assert i18n.sync(pot, po) == [f"{po}: 1 added, 0 removed"]
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    assert {k: e.msgstr for k, e in entries.items() if e.msgstr} == translations
    assert entries["Implicit concatenation"].msgstr == ""
    assert i18n.default(entries["msg_multi"]) == "Line one, line two"
    assert polib.pofile(str(po)).metadata["Language"] == "zh_CN"
    # syncing again is stable, and drops what is no longer used
    text = po.read_text(encoding="utf-8")
    i18n.sync(pot, po)
    assert po.read_text(encoding="utf-8") == text
    sample(
        tmp_path, sample_py=PY_SOURCE.replace('C = _("Implicit " "concatenation")', "")
    )
    build(tmp_path)
    assert i18n.sync(pot, po) == [f"{po}: 0 added, 1 removed"]
    assert {e.msgid for e in polib.pofile(str(po))} == set(translations)
    assert {e.msgid for e in polib.pofile(str(pot))} == set(translations)


def test_changed_default_makes_the_translation_fuzzy(tmp_path):
    sample(
        tmp_path,
        a_py='from xinfang_archive import _\n_("msg_x", default="Old text ${n}")\n',
    )
    build(tmp_path)
    pot, po = tmp_path / "xinfang_archive.pot", tmp_path / "zh_CN.po"
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalog.save(str(po))
    i18n.sync(pot, po)
    catalog = polib.pofile(str(po))
    catalog.find("msg_x").msgstr = "旧译文${n}"
    catalog.save()
    sample(
        tmp_path,
        a_py='from xinfang_archive import _\n_("msg_x", default="New text ${n}")\n',
    )
    build(tmp_path)
    i18n.sync(pot, po)
    entry = polib.pofile(str(po)).find("msg_x")
    assert entry.fuzzy and entry.msgstr == "旧译文${n}"
    assert i18n.default(entry) == "New text ${n}"


TEMPLATE = """<html xmlns:i18n="http://xml.zope.org/namespaces/i18n"
      xmlns:tal="http://xml.zope.org/namespaces/tal" i18n:domain="xinfang_archive">
<body>
  <p i18n:translate="">  Hello
     <b i18n:name="who" tal:content="view/who">Zhang</b>, you have
     <em>new</em> mail.<br/></p>
  <p i18n:translate="label_explicit">Explicit default</p>
  <p i18n:translate="" tal:content="view/dynamic">ignored</p>
  <img src="x.png" alt="Case picture" title="Ignored" i18n:attributes="alt; title title_id" />
  <div i18n:domain="plone"><span i18n:translate="">Plone message</span></div>
</body>
</html>
"""


def test_template_extraction(tmp_path):
    sample(tmp_path, t_pt=TEMPLATE)
    messages, said = build(tmp_path)
    assert set(messages) == {
        "Hello ${who}, you have <em>new</em> mail.<br />",
        "label_explicit",
        "Case picture",
        "title_id",
    }
    assert i18n.default(messages["label_explicit"]) == "Explicit default"
    assert i18n.default(messages["title_id"]) == "Ignored"
    assert messages["label_explicit"].occurrences == [("pkg/t.pt", "")]
    assert not said
    # only xinfang_archive is taken from templates
    assert build(tmp_path, "plone")[0] == {}


# --- translations in the running site ------------------------------------------


def test_site_default_language_is_zh_cn(portal):
    assert api.portal.get_registry_record("plone.default_language") == "zh-cn"


def test_fti_title_is_translated(portal):
    fti = api.portal.get_tool("portal_types")["PetitionCase"]
    title = fti.Title()
    assert isinstance(title, Message) and title.domain == "xinfang_archive"
    assert translate(title, target_language="zh_CN") == "信访件"
    assert translate(title, target_language="en") == "Petition case"


def test_python_message_is_translated_with_its_mapping(portal):
    message = _(
        "error_too_many_representatives",
        default="A group visit may choose at most ${max} representatives; ${count} were given.",
        mapping={"max": 5, "count": 6},
    )
    assert (
        translate(message, target_language="zh_CN")
        == "集体访推选的代表不得超过5人，现填写了6人。"
    )
    assert translate(message, target_language="en") == (
        "A group visit may choose at most 5 representatives; 6 were given."
    )


def test_state_title_in_the_plone_domain(portal):
    assert (
        translate(Message("Registered", domain="plone"), target_language="zh_CN")
        == "登记"
    )


@pytest.mark.parametrize("state_id,expected", sorted(STATES.items()))
def test_case_workflow_state_titles(portal, state_id, expected):
    workflow = api.portal.get_tool("portal_workflow")["xf_case_workflow"]
    title = workflow.states[state_id].title
    assert (
        translate(Message(title, domain="plone"), target_language="zh_CN") == expected
    )


@pytest.mark.parametrize("transition_id,expected", sorted(TRANSITIONS.items()))
def test_case_workflow_transition_titles(portal, transition_id, expected):
    workflow = api.portal.get_tool("portal_workflow")["xf_case_workflow"]
    title = workflow.transitions[transition_id].title
    assert (
        translate(Message(title, domain="plone"), target_language="zh_CN") == expected
    )


def test_internal_state_title(portal):
    workflow = api.portal.get_tool("portal_workflow")["xf_internal_workflow"]
    title = workflow.states["internal"].title
    assert translate(Message(title, domain="plone"), target_language="zh_CN") == "内部"
