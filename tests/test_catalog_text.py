"""The catalog's text indexes are answered by the full-text index
(``search.catalog_index``): Plone's own searches find what the archive
search finds, see their own transaction's writes, never match a personal
number, and indexing writes nothing to the database."""

from plone import api
from tests.helpers.cases import case_data
from tests.helpers.cases import VALID_ID
from xinfang_archive.search.catalog_index import META_TYPE
from xinfang_archive.search.searching import archive_search

import transaction


def uids(site, text, **query):
    return {brain.UID for brain in site.portal_catalog(SearchableText=text, **query)}


def new_case(site, **overrides):
    return api.content.create(
        container=site["cases"], type="PetitionCase", **case_data(**overrides)
    )


def test_plone_searches_are_answered_by_the_full_text_index(site):
    index = site.portal_catalog._catalog.getIndex("SearchableText")
    assert index.meta_type == META_TYPE
    assert "plone_lexicon" in site.portal_catalog.objectIds()  # Plone's, left in place
    case = new_case(site, summary="村民反映宅基地确权迟迟未办理。")
    other = new_case(
        site, title="林地承包合同纠纷", summary="反映林地承包合同被单方解除。"
    )
    transaction.commit()
    assert uids(site, "宅基地确权") == {case.UID()}
    # what Plone's search page, live search and folder contents send
    assert uids(site, "宅基地确权*") == {case.UID()}
    assert uids(site, '"宅基地" AND 确权*') == {case.UID()}
    assert uids(site, "宅基地确权 OR 林地承包") == {case.UID(), other.UID()}
    assert uids(site, "林地 NOT 解除") == set()
    # Chinese analysis the ZCTextIndex lacked: a word inside a run of text
    assert uids(site, "确权") == {case.UID()}
    # with the catalog's other indexes, and scored for Plone's relevance order
    assert uids(
        site,
        "林地承包",
        portal_type="PetitionCase",
        path="/".join(site["cases"].getPhysicalPath()),
    ) == {other.UID()}
    (brain,) = site.portal_catalog(SearchableText="林地承包")
    assert brain.data_record_score_ > 0
    # the catalog keeps nothing of the text
    assert (
        site.portal_catalog.getIndexDataForRID(brain.getRID())["SearchableText"] == ""
    )
    # an unbalanced quote is searched as typed, not an error
    assert uids(site, '"宅基地确权') == {case.UID()}


def test_title_and_description_search_their_field_alone(site):
    for name in ("Title", "Description"):
        assert site.portal_catalog._catalog.getIndex(name).meta_type == META_TYPE
    case = new_case(
        site,
        title="河道采砂扰民",
        description="采砂船夜间作业",
        summary="反映河道采砂影响村民休息，联系电话13912345678。",
    )
    transaction.commit()
    assert {b.UID for b in site.portal_catalog(Title="河道采砂")} == {case.UID()}
    assert not site.portal_catalog(Title="村民休息")  # in the summary only
    assert not site.portal_catalog(Title="夜间作业")  # in the description only
    assert {b.UID for b in site.portal_catalog(Description="夜间作业")} == {case.UID()}
    assert not site.portal_catalog(Description="河道采砂")
    assert uids(site, "村民休息") == {case.UID()}
    # a number typed into a title is not found by it either
    numbered = new_case(site, title="来电13912345678反映噪音")
    assert not site.portal_catalog(Title="13912345678")
    assert {b.UID for b in site.portal_catalog(Title="反映噪音")} == {numbered.UID()}


def test_a_transaction_sees_its_own_writes(site):
    case = new_case(site, summary="反映集贸市场摊位费过高。")
    transaction.commit()
    fresh = new_case(site, summary="反映小区电梯长期停运。")
    assert uids(site, "电梯长期停运") == {fresh.UID()}  # not committed yet
    case.summary = "反映菜市场噪音扰民。"
    case.reindexObject()
    assert uids(site, "摊位费") == set()  # the committed text it replaces
    assert uids(site, "噪音扰民") == {case.UID()}
    api.content.delete(obj=fresh)
    assert uids(site, "电梯长期停运") == set()
    transaction.abort()
    assert uids(site, "摊位费") == {case.UID()}
    assert uids(site, "噪音扰民") == set()


def test_personal_numbers_never_match_not_even_for_a_manager(site):
    case = new_case(
        site, summary="来电13912345678反映补偿问题，身份证" + VALID_ID + "。"
    )
    transaction.commit()
    assert api.user.get_current().has_role("Manager")
    for number in (VALID_ID, "13912345678", "13812345678"):
        assert uids(site, number) == set(), number
    # the archive search still finds them for those who may see them
    found = archive_search(site.REQUEST, text="13912345678")["items"]
    assert [item["uid"] for item in found] == [case.UID()]
    assert uids(site, "张三") == {case.UID()}  # a name is text, as before


def test_indexing_writes_nothing_to_the_database(site):
    index = site.portal_catalog._catalog.getIndex("SearchableText")
    transaction.commit()
    index._p_activate()
    serial = index._p_serial
    assert serial != b"\0" * 8
    for number in range(3):
        new_case(site, summary=f"反映第{number}号楼漏水问题。")
        transaction.commit()
    index._p_activate()
    assert index._p_serial == serial
    assert set(vars(index)) == {"id", "indexed_attrs"}
    assert len(uids(site, "漏水")) == 3


def test_a_huge_query_is_cut_to_the_search_limits():
    """Plone's search is public: a 250 KB query costs what a 500-character
    one costs, as in the archive search."""
    from xinfang_archive.search import querylang as ql
    from xinfang_archive.search.catalog_index import _text_query

    node = _text_query("征地补偿 " * 50_000)
    assert sum(len(term.value) for term in ql.text_terms(node)) <= ql.MAX_LENGTH
    node = _text_query(
        "(" * 100_000 + "补偿"
    )  # unbalanced: searched as typed, cut all the same
    assert sum(len(term.value) for term in ql.text_terms(node)) <= ql.MAX_LENGTH
