"""Simplified-Chinese catalogs: complete, placeholders intact, used by the site.

The catalogs are kept in step with the sources by ``tools/i18n_extract.py``;
when a test here fails because of a new message, run::

    python tools/i18n_extract.py          # adds the new msgids to the zh_CN .po files
    python tools/i18n_extract.py --check  # lists what still lacks a translation
"""

from pathlib import Path
from plone import api
from xinfang_archive import _
from zope.i18n import translate
from zope.i18nmessageid import Message

import gettext
import io
import pytest
import sys
import xml.etree.ElementTree as ET


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import i18n_extract  # noqa: E402


HINT = "\nrun `python tools/i18n_extract.py`, translate the new msgids, then `--check`"

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
def extraction():
    return i18n_extract.extract(ROOT)


@pytest.fixture(scope="module")
def result():
    return i18n_extract.check(ROOT)


def test_both_domains_have_messages(result):
    assert result.counts["xinfang_archive"] > 50
    assert result.counts["plone"] >= len(STATES) + len(TRANSITIONS)


def test_every_message_has_a_zh_cn_translation(result):
    missing = [
        f"{domain}: {msgid!r} ({reason})" for domain, msgid, reason in result.missing
    ]
    assert not missing, "missing zh_CN translations:\n" + "\n".join(missing) + HINT


def test_translations_keep_exactly_the_placeholders(extraction):
    problems = []
    for domain, catalog in extraction.catalogs.items():
        _header, entries = i18n_extract.read_po(i18n_extract.po_path(ROOT, domain))
        for message in catalog:
            entry = entries.get(message.msgid)
            if entry is None or not entry.msgstr:
                continue  # reported by the completeness test
            expected = i18n_extract.placeholders(message.source_text)
            found = i18n_extract.placeholders(entry.msgstr)
            if expected != found:
                problems.append(
                    f"{domain}: {message.msgid!r}: {sorted(expected)} != {sorted(found)}"
                )
    assert not problems, "\n".join(problems)


def test_messages_are_extractable(extraction):
    """Every ``_()`` call has a literal msgid (and default) the tool can read."""
    assert not extraction.warnings, "\n".join(extraction.warnings)


def test_every_state_and_transition_title_is_extracted(extraction):
    plone = extraction.catalogs["plone"].messages
    for definition in (ROOT / "profiles" / "default" / "workflows").glob(
        "*/definition.xml"
    ):
        tree = ET.parse(definition)
        for element in tree.iter():
            if element.tag in ("state", "transition"):
                assert element.get("title") in plone, (definition, element.get("title"))


def test_fti_titles_and_descriptions_are_extracted(extraction):
    ours = extraction.catalogs["xinfang_archive"].messages
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

    for domain in i18n_extract.DOMAINS:
        path = i18n_extract.po_path(ROOT, domain)
        header, entries = i18n_extract.read_po(path)
        fields = i18n_extract.parse_header(header.msgstr)
        assert fields["Content-Type"] == "text/plain; charset=UTF-8"
        assert fields["Language"] == "zh_CN"
        assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
        assert fields["Domain"] == domain
        mo = Msgfmt(str(path), name=domain).get()
        catalog = gettext.GNUTranslations(io.BytesIO(mo))
        for msgid, entry in entries.items():
            assert catalog.gettext(msgid) == entry.msgstr


# --- the extractor itself ----------------------------------------------------


PY_SOURCE = """
from xinfang_archive import _
from plone.base import PloneMessageFactory as PMF

A = _("Say \\"hi\\" to ${name}")
B = _("msg_multi", default="Line one\\nline two with a \\\\ and a tab\\t.")
C = _("Implicit " "concatenation")
D = PMF("Not ours")
E = _(variable)
"""


def test_python_extraction_reads_only_our_factory():
    catalog = i18n_extract.Catalog("xinfang_archive")
    warnings = []
    i18n_extract.extract_python_source(PY_SOURCE, "sample.py", catalog, warnings)
    assert set(catalog.messages) == {
        'Say "hi" to ${name}',
        "msg_multi",
        "Implicit concatenation",
    }
    assert (
        catalog.messages["msg_multi"].default
        == "Line one\nline two with a \\ and a tab\t."
    )
    assert catalog.messages['Say "hi" to ${name}'].references == {"sample.py:5"}
    assert len(warnings) == 1 and "sample.py:9" in warnings[0]


def test_po_round_trip_escapes_quotes_and_newlines():
    catalog = i18n_extract.Catalog("xinfang_archive")
    i18n_extract.extract_python_source(PY_SOURCE, "sample.py", catalog, [])
    translations = {
        'Say "hi" to ${name}': "向${name}说“嗨”",
        "msg_multi": "第一行\n第二行 \\ 与制表符\t。",
    }
    existing = {
        k: i18n_extract.PoEntry(msgid=k, msgstr=v) for k, v in translations.items()
    }
    text = i18n_extract.merge_po(catalog, None, existing, "2024-01-01 00:00+0000")
    header, entries = i18n_extract.parse_po(text)
    assert {k: e.msgstr for k, e in entries.items() if e.msgstr} == translations
    assert entries["Implicit concatenation"].msgstr == ""
    assert entries["msg_multi"].default == "Line one\nline two with a \\ and a tab\t."
    assert "Language: zh_CN" in header.msgstr
    # merging again is stable, and drops what is no longer used
    assert (
        i18n_extract.merge_po(catalog, header, entries, "2024-01-01 00:00+0000") == text
    )
    del catalog.messages["Implicit concatenation"]
    _h, again = i18n_extract.parse_po(
        i18n_extract.merge_po(catalog, header, entries, "x")
    )
    assert set(again) == set(translations)
    # the pot parses back as well
    _h, pot = i18n_extract.parse_po(i18n_extract.render_pot(catalog))
    assert set(pot) == set(translations)


def test_changed_default_makes_the_translation_fuzzy():
    catalog = i18n_extract.Catalog("xinfang_archive")
    catalog.add("msg_x", "New text ${n}", "a.py:1", [])
    old = i18n_extract.PoEntry(
        msgid="msg_x", msgstr="旧译文${n}", extracted=['Default: "Old text ${n}"']
    )
    _h, entries = i18n_extract.parse_po(
        i18n_extract.merge_po(catalog, None, {"msg_x": old}, "x")
    )
    assert entries["msg_x"].fuzzy and entries["msg_x"].msgstr == "旧译文${n}"


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


def test_template_extraction():
    catalogs = {d: i18n_extract.Catalog(d) for d in i18n_extract.DOMAINS}
    warnings = []
    i18n_extract.extract_template_source(TEMPLATE, "t.pt", catalogs, warnings)
    messages = catalogs["xinfang_archive"].messages
    assert set(messages) == {
        "Hello ${who}, you have <em>new</em> mail.<br/>",
        "label_explicit",
        "Case picture",
        "title_id",
    }
    assert messages["label_explicit"].default == "Explicit default"
    assert messages["title_id"].default == "Ignored"
    assert messages["label_explicit"].references == {"t.pt:7"}
    assert not catalogs[
        "plone"
    ].messages  # only xinfang_archive is taken from templates
    assert not warnings


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
