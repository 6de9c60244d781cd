"""The search index inside a real site: fed by the index queue on commit,
permission-aware, and served by the page and @archive-search."""

from datetime import date
from plone import api
from plone.namedfile.file import NamedBlobFile
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from tests.helpers.cases import VALID_ID
from tests.helpers.search import create_case
from tests.helpers.search import found
from xinfang_archive.search.searching import archive_search
from xinfang_archive.search.searching import similar_cases
from xinfang_archive.search.site import current_store

import io
import transaction


FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def pdf(*lines):
    pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.setFont("WQY", 12)
    for i, line in enumerate(lines):
        page.drawString(72, 720 - 18 * i, line)
    page.save()
    return buf.getvalue()


def test_committed_changes_reach_the_index_aborted_do_not(site):
    case = create_case(site, summary="村民反映宅基地确权迟迟未办理。")
    assert found(site, "宅基地确权") == [case.UID()]

    case.summary = "村民反映林地承包合同纠纷。"
    case.reindexObject()
    transaction.abort()
    assert found(site, "林地承包") == []
    assert found(site, "宅基地确权") == [case.UID()]

    case.summary = "村民反映林地承包合同纠纷。"
    case.reindexObject()
    transaction.commit()
    assert found(site, "林地承包") == [case.UID()]
    assert found(site, "宅基地确权") == []


def test_rename_transition_delete(site):
    case = create_case(site, summary="反映河道采砂扰民问题。")
    api.content.rename(obj=case, new_id="renamed-case")
    transaction.commit()
    item = archive_search(site.REQUEST, text="河道采砂")["items"][0]
    assert item["url"].endswith("/cases/renamed-case")

    api.content.transition(obj=case, transition="accept")
    transaction.commit()
    result = archive_search(site.REQUEST, text="河道采砂", facets=("state",))
    assert result["items"][0]["state"] == "accepted"
    assert [o["value"] for o in result["facets"]["state"]["options"]] == ["accepted"]

    api.content.delete(obj=case)
    transaction.commit()
    assert found(site, "河道采砂") == []


def test_documents_attachments_and_their_case(site):
    case = create_case(site, summary="反映安置房质量问题。", category="urban")
    document = api.content.create(
        container=case,
        type="CaseDocument",
        title="现场勘查记录",
        responsible="住建局",
        document_date=date(2024, 5, 6),
        document_number="城建〔2024〕12号",
        classification="internal",
        file=NamedBlobFile(
            pdf("勘查发现安置房外墙", "空鼓开裂，需整改。"),
            filename="kc.pdf",
            contentType="application/pdf",
        ),
    )
    transaction.commit()
    assert found(site, "外墙空鼓") == [document.UID()]
    assert found(site, "城建〔2024〕12号") == [document.UID()]
    result = archive_search(
        site.REQUEST, text="外墙空鼓", facets=("category", "portal_type")
    )
    item = result["items"][0]
    assert item["case_url"] == case.absolute_url()
    assert (
        "<mark>城建</mark>〔2024〕12号"
        in archive_search(site.REQUEST, text="城建")["items"][0]["snippet"]
    )
    assert "<mark>" in item["snippet"] and "空鼓" in item["snippet"]
    assert [o["value"] for o in result["facets"]["category"]["options"]] == ["urban"]
    # a transition of the case reaches its documents' state facet
    api.content.transition(obj=case, transition="accept")
    transaction.commit()
    assert found(site, "外墙空鼓", filters={"state": ["accepted"]}) == [document.UID()]


def test_permissions_and_personal_data(site, staff_users):
    case = create_case(site, summary="反映劳动报酬被拖欠。")
    accusation = api.content.create(
        container=case,
        type="CaseDocument",
        title="举报材料",
        responsible="王五",
        document_date=date(2024, 5, 6),
        classification="secret",
        accusation=True,
        file=NamedBlobFile(
            "举报某站所负责人收受好处".encode(),
            filename="jb.txt",
            contentType="text/plain",
        ),
    )
    transaction.commit()
    assert found(site, VALID_ID) == [case.UID()]
    assert found(site, "13812345678") == [case.UID()]
    with api.env.adopt_user(username="inspector"):
        assert found(site, "劳动报酬") == [case.UID()]
        assert found(site, VALID_ID) == []  # may not see personal data
        assert found(site, "收受好处") == [accusation.UID()]
    with api.env.adopt_user(username="handler"):
        assert found(site, "收受好处") == []  # accusation material hidden
    item = archive_search(site.REQUEST, text=VALID_ID)["items"][0]
    assert VALID_ID not in item["snippet"]


def test_local_roles_reach_the_index(site, staff_users):
    folder_case = create_case(site, summary="反映供暖费收取标准问题。")
    api.content.disable_roles_acquisition(obj=folder_case)
    transaction.commit()
    with api.env.adopt_user(username="inspector"):
        before = found(site, "供暖费")
    api.user.grant_roles(username="inspector", obj=folder_case, roles=["Reader"])
    transaction.commit()
    with api.env.adopt_user(username="inspector"):
        assert found(site, "供暖费") == [folder_case.UID()]
    assert before in ([], [folder_case.UID()])


def test_similar_cases(site):
    first = create_case(
        site, title="拆迁补偿款未发放", summary="东村村民反映拆迁补偿款至今未发放到位。"
    )
    create_case(site, title="噪音扰民", summary="工地夜间施工噪音扰民。")
    rows = similar_cases(text="村民反映拆迁补偿款一直没有发放")
    assert rows[0]["uid"] == first.UID()
    second = create_case(
        site, title="再次反映拆迁补偿", summary="东村村民再次反映拆迁补偿款未发放。"
    )
    assert similar_cases(obj=second)[0]["uid"] == first.UID()


def test_rest_search_with_facets_paging_and_errors(site, session_for):
    for i in range(3):
        create_case(site, summary=f"反映物业费纠纷第{i}件。", category="urban")
    create_case(site, summary="反映物业费纠纷。", category="other")
    session = session_for("admin")
    url = site.absolute_url() + "/@archive-search"
    answer = session.get(url, params={"q": "物业费", "page_size": 2}).json()
    assert answer["items_total"] == 4 and len(answer["items"]) == 2
    assert "next" in answer["batching"]
    counts = {o["value"]: o["count"] for o in answer["facets"]["category"]["options"]}
    assert counts == {"urban": 3, "other": 1}
    filtered = session.get(url, params={"q": "物业费", "category": "other"}).json()
    assert filtered["items_total"] == 1
    typed = session.get(url, params={"q": "物业费 类别:urban", "sort": "-date"}).json()
    assert typed["items_total"] == 3
    titled = session.get(url, params={"q": "物业费 类别:城建管理 状态:登记"}).json()
    assert titled["items_total"] == 3
    deep = session.get(url, params={"q": "物业费", "page": 10**12})
    assert deep.status_code == 400 and "10000" in deep.json()["error"]["message"]
    inspector = session_for("inspector")
    assert (
        inspector.get(
            site.absolute_url() + "/cases/@similar-cases", params={"text": "物业费"}
        ).status_code
        == 401
    )
    bad = session.get(url, params={"q": '"物业费'})
    assert bad.status_code == 400
    assert "引号" in bad.json()["error"]["message"]


def test_rest_items_carry_id_and_type_as_plone_search_does(site, session_for):
    first = create_case(
        site, title="物业费纠纷", summary="小区业主反映物业费收取不合理。"
    )
    second = create_case(
        site, title="再次反映物业费", summary="业主再次反映物业费收取不合理。"
    )
    session = session_for("admin")
    found = session.get(
        site.absolute_url() + "/@archive-search", params={"q": "物业费"}
    )
    (item, *_rest) = [i for i in found.json()["items"] if i["uid"] == first.UID()]
    assert item["@id"] == item["url"] == first.absolute_url()
    assert item["@type"] == "PetitionCase" and item["review_state"] == "registered"
    similar = session.get(second.absolute_url() + "/@similar-cases").json()["items"]
    assert similar[0]["@id"] == similar[0]["url"] == first.absolute_url()
    assert similar[0]["@type"] == "PetitionCase"


def test_search_page(site, session_for, staff_users):
    create_case(site, summary="反映廉租房分配不公。", category="welfare")
    session = session_for("inspector")
    session.headers["Accept"] = "text/html"
    page = session.get(
        site.absolute_url() + "/@@archive-search", params={"q": "廉租房"}
    )
    assert page.status_code == 200
    assert 'id="xf-result-count"' in page.text and "<mark>廉租房</mark>" in page.text
    assert "xf-facet-category" in page.text
    assert "档案检索" in page.text  # the portal tab, translated
    empty = session.get(site.absolute_url() + "/@@archive-search", params={"q": "NOT"})
    assert empty.status_code == 400 and "xf-search-error" in empty.text


def test_index_stats(site):
    create_case(site)
    stats = current_store().engine.stats()
    assert stats["documents"] >= 1 and stats["size_bytes"] > 0


def test_upgrade_from_1000_adds_search_and_builds_the_index(site):
    """A site installed before the search (profile 1000): the upgrade adds
    its settings, tab and control panel, and indexes what is there."""
    from xinfang_archive.search.settings import PREFIX
    from xinfang_archive.search.store import clear_stores

    case = create_case(site, summary="反映集贸市场摊位费过高。")
    registry = site.portal_registry
    for name in [n for n in registry.records if n.startswith(PREFIX + ".")]:
        del registry.records[name]
    site.portal_actions.portal_tabs.manage_delObjects(["archive-search"])
    for name in [
        n for n in registry.records if n.startswith("xinfang_archive.filing.")
    ]:
        del registry.records[name]
    site.manage_delObjects(["archive-office", "hearings", "hearing-notices"])
    site.portal_actions.portal_tabs.manage_delObjects(["hearings", "hearing-notices"])
    site.portal_catalog.delIndex("archival_code")
    from xinfang_archive.setuphandlers import restore_plone_text_indexes

    restore_plone_text_indexes(
        site.portal_catalog
    )  # before 1008: Plone's ZCTextIndexes
    assert (
        site.portal_catalog._catalog.getIndex("SearchableText").meta_type
        == "ZCTextIndex"
    )
    setup = site.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1000")
    transaction.commit()
    clear_stores()
    assert setup.listUpgrades("xinfang_archive:default")

    setup.upgradeProfile("xinfang_archive:default")
    transaction.commit()
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert registry[PREFIX + ".engine"] == "tantivy"
    assert "archive-search" in site.portal_actions.portal_tabs.objectIds()
    # 1002: filing, disposition and the archive office
    assert registry["xinfang_archive.filing.fonds_code"] == "X001"
    assert {"archival_code", "retention_expires", "held_codes", "closed_on"} <= set(
        site.portal_catalog.indexes()
    )
    assert site["archive-office"].portal_type == "ArchiveOffice"
    assert "file" in site.portal_workflow["xf_case_workflow"].transitions.objectIds()
    # 1003: hearings and the public board of minutes
    assert site["hearings"].portal_type == "HearingFolder"
    assert site["hearing-notices"].portal_type == "NoticeBoard"
    assert api.content.get_state(site["hearing-notices"]) == "published"
    assert {"hearings", "hearing-notices"} <= set(
        site.portal_actions.portal_tabs.objectIds()
    )
    # 1004: transfer settings and the transferred state
    assert registry["xinfang_archive.filing.transfer_receiver"] == "城西县档案馆"
    assert "transferred" in site.portal_workflow["xf_case_workflow"].states.objectIds()
    # 1005: the permissions to flag accusation material and to clear the flag
    clearers = {
        r["name"]
        for r in site.rolesOfPermission("xinfang_archive: Clear accusation flag")
        if r["selected"]
    }
    assert {"Registrar", "Archivist"} <= clearers and "CaseHandler" not in clearers
    # 1006: need-to-know by unit
    assert "CaseHandler" not in api.group.get_roles(groupname="case_handlers")
    assert api.group.get(groupname="unit-JSJ-heads") is not None
    assert found(site, "摊位费") == [case.UID()]
    # 1008: SearchableText, Title and Description answered by the full-text index
    for name in ("SearchableText", "Title", "Description"):
        assert (
            site.portal_catalog._catalog.getIndex(name).meta_type
            == "XinfangFullTextIndex"
        )
    assert [b.UID for b in site.portal_catalog(SearchableText="摊位费")] == [case.UID()]


def test_snippets_mask_the_known_addresses(site, staff_users):
    """An address typed into a case's summary, or said in a transcript, is
    masked in the snippets, which users without "View personal data" read."""
    address = "浙江省杭州市西湖区文三路100号"  # the address of case_data's petitioner
    case = create_case(site, summary=f"信访人住{address}，反映楼道漏水多年未修。")
    with api.env.adopt_user(username="inspector"):
        (item,) = archive_search(site.REQUEST, text="楼道漏水")["items"]
    assert item["uid"] == case.UID()
    assert "文三路100号" not in item["snippet"] and "浙江省杭州" in item["snippet"]
