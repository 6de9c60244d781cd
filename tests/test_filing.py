"""Filing (归档立案): archival codes, retention, the four-properties check and the freeze."""

from AccessControl import Unauthorized
from datetime import date
from plone import api
from plone.app.testing import TEST_USER_ID
from Products.CMFCore.WorkflowCore import WorkflowException
from tests.helpers.archival import add_document
from tests.helpers.archival import as_archivist
from tests.helpers.archival import as_manager
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.archival import make_pdf
from tests.helpers.archival import TODAY
from tests.helpers.cases import case_data
from xinfang_archive.archival.codes import Group
from xinfang_archive.archival.codes import parse
from xinfang_archive.archival.codes import well_formed
from xinfang_archive.archival.filing import file_cases
from xinfang_archive.archival.filing import FilingRefused
from xinfang_archive.archival.filing import make_plan
from xinfang_archive.archival.freeze import FrozenRecord
from xinfang_archive.archival.numbering import group_state
from xinfang_archive.archival.retention import expiry
from xinfang_archive.archival.retention import parse_rules
from xinfang_archive.archival.retention import period_for
from xinfang_archive.archival.retention import RuleError
from xinfang_archive.archival.settings import PREFIX
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import ObjectModifiedEvent

import hashlib
import pytest


YEAR = TODAY.year


def zh(messages):
    return [translate(m, target_language="zh_CN") for m in messages]


@pytest.fixture()
def closed(make_case, manager):
    """A closed case of 住建局 with a two-page PDF and a text document."""

    def make(unit="JSJ", **overrides):
        case = make_case(**overrides)
        add_document(case)
        add_document(
            case,
            title="来信原件",
            data="来信内容".encode(),
            filename="letter.txt",
            content_type="text/plain",
            pages=1,
        )
        return close_case(case, unit=unit)

    return make


def file(case):
    do(case, "file")
    return case


# --- codes and the schedule ------------------------------------------------


def test_archival_code_format():
    group = Group("X001", "XF", 2024, "D30", "JSJ")
    assert group.code(7) == "X001-XF·2024-D30-JSJ-0007"
    assert well_formed("X001-XF·2024-D30-JSJ-0007")
    assert parse("X001-XF·2024-D30-JSJ-0007").item == 7
    for bad in (
        "X001-XF-2024-D30-JSJ-0007",
        "X01-XF·2024-D30-JSJ-0007",
        "X001-XF·2024-D20-JSJ-0007",
        "X001-XF·2024-D30-JSJ-7",
        "X001-XF·2024-D30-J-S-0007",
    ):
        assert not well_formed(bad), bad


def test_schedule_takes_the_longest_matching_period_and_the_default_otherwise():
    rules = parse_rules(
        [
            "category=discipline|Y|纪检",
            "stage=rejected|D10|不予受理",
            "grade=key & flag=collective,repeat|D30|重点集体",
            "*|D30|其他",
        ]
    )
    facts = {
        "category": frozenset(["land"]),
        "grade": frozenset(["key"]),
        "flag": frozenset(["repeat"]),
        "stage": frozenset(),
    }
    assert period_for(facts, rules)[0] == "D30"
    assert period_for(dict(facts, category=frozenset(["discipline"])), rules)[0] == "Y"
    assert period_for({"stage": frozenset(["rejected"])}, rules)[0] == "D10"
    assert period_for({"category": frozenset(["land"])}, rules)[1][0].is_default
    assert expiry(2024, "D10") == date(2035, 1, 1)
    assert expiry(2024, "Y") is None


@pytest.mark.parametrize(
    "lines",
    [
        ["category=land|D20|x", "*|D30|"],
        ["colour=red|Y|x", "*|D30|"],
        ["category=|Y|x", "*|D30|"],
        ["category=land|Y|x"],
        ["*|Y|", "*|D30|"],
    ],
)
def test_bad_schedules_are_refused(lines):
    with pytest.raises(RuleError):
        parse_rules(lines)


def test_schedule_values_are_checked_against_the_vocabularies(portal):
    from xinfang_archive.archival.retention import known_values

    with pytest.raises(RuleError) as error:
        parse_rules(["category=nonesuch|Y|x", "*|D30|"], known_values())
    assert "nonesuch" in translate(error.value.message, target_language="zh_CN")
    assert parse_rules(
        ["category=land|Y|x", "kind=hearing_transcript|D30|", "*|D30|"], known_values()
    )


# --- filing ----------------------------------------------------------------


def test_filing_assigns_code_period_checksums_and_freezes(closed, portal):
    case = closed()
    pdf = case["report.pdf"] if "report.pdf" in case else case.objectValues()[0]
    as_archivist(portal)
    file(case)
    assert api.content.get_state(case) == "filed"
    assert case.archival_code == f"X001-XF·{YEAR}-D30-JSJ-0001"
    assert case.retention_period == "D30"
    assert case.retention_expires == date(YEAR + 31, 1, 1)
    assert case.filed_by == TEST_USER_ID
    files = {e["filename"]: e for e in case.archival_manifest if e["field"] == "file"}
    assert files["report.pdf"]["sha256"] == hashlib.sha256(pdf.file.data).hexdigest()
    assert files["report.pdf"]["pages"] == 2
    assert (
        files["letter.txt"]["sha256"] == hashlib.sha256("来信内容".encode()).hexdigest()
    )
    # one metadata digest per record: the case, two documents, the reply
    assert sum(1 for e in case.archival_manifest if e["field"] == "metadata") == 4
    brains = api.content.find(archival_code=case.archival_code)
    assert [b.getObject() for b in brains] == [case]
    assert brains[0].retention_period == "D30"


def test_item_numbers_run_gap_free_per_group(closed, portal):
    cases = [closed() for _ in range(3)] + [closed(unit="CGZ-DC")]
    as_archivist(portal)
    result = file_cases(cases)
    assert not result.refused
    codes = [code for _case, code in result.filed]
    assert codes == [
        f"X001-XF·{YEAR}-D30-JSJ-0001",
        f"X001-XF·{YEAR}-D30-JSJ-0002",
        f"X001-XF·{YEAR}-D30-JSJ-0003",
        f"X001-XF·{YEAR}-D30-CGZ-0001",  # villages file under their township
    ]
    state = group_state(Group("X001", "XF", YEAR, "D30", "JSJ"))
    assert state.last == 3 and not state.gaps()


def test_retention_follows_the_schedule(closed, portal):
    key = closed(grade="key")
    api.portal.set_registry_record(
        f"{PREFIX}.retention_rules", ["grade=key|D10|x", "*|Y|y"]
    )
    plain = closed()
    as_archivist(portal)
    file_cases([key, plain])
    assert key.retention_period == "D10" and key.archival_code.endswith("-D10-JSJ-0001")
    assert plain.retention_period == "Y" and plain.retention_expires is None


def test_organisation_codes_can_follow_the_category(closed, portal):
    api.portal.set_registry_record(f"{PREFIX}.organisation_basis", "category")
    api.portal.set_registry_record(
        f"{PREFIX}.organisation_codes", ["land|ZD|征地拆迁", "*|QT|其他"]
    )
    case = closed()
    as_archivist(portal)
    file(case)
    assert case.archival_code == f"X001-XF·{YEAR}-D30-ZD-0001"
    assert case.organisation_title == "征地拆迁"


def test_only_archivists_file(closed, portal):
    case = closed()
    as_manager(portal)
    with pytest.raises(WorkflowException):
        file(case)
    assert api.content.get_state(case) == "closed"


def test_open_cases_cannot_be_filed(make_case, manager):
    case = make_case()
    assert (
        zh(p.message for p in make_plan(case).problems)[0]
        == "只有已办结的信访件才能归档。"
    )


def test_failed_check_refuses_and_changes_nothing(closed, portal):
    case = closed()
    add_document(
        case, title="损坏的扫描件", data=b"%PDF-1.4\n garbage", filename="scan.pdf"
    )
    doc = case.objectValues()[0]
    doc.responsible = None
    as_archivist(portal)
    with pytest.raises(FilingRefused) as refused:
        file(case)
    problems = refused.value.problems
    kinds = {(p.property, p.path) for p in problems}
    assert ("usability", "scan.pdf") in kinds or any(
        p.property == "usability" for p in problems
    )
    assert any(p.property == "authenticity" and p.path == doc.getId() for p in problems)
    assert api.content.get_state(case) == "closed"
    assert getattr(case, "archival_code", None) is None
    assert group_state(Group("X001", "XF", YEAR, "D30", "JSJ")) is None


def test_encrypted_pdf_and_mismatched_type_are_refused(closed, portal):
    from io import BytesIO
    from pypdf import PdfReader
    from pypdf import PdfWriter

    writer = PdfWriter()
    for page in PdfReader(BytesIO(make_pdf(1))).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    encrypted = BytesIO()
    writer.write(encrypted)
    case = closed()
    add_document(
        case, title="加密件", data=encrypted.getvalue(), filename="locked.pdf", pages=1
    )
    add_document(
        case,
        title="伪装件",
        data=make_pdf(1),
        filename="photo.png",
        content_type="image/png",
        pages=1,
    )
    problems = make_plan(case).problems
    assert {p.property for p in problems} == {"usability", "security"}
    assert any("加密" in text for text in zh(p.message for p in problems))


def test_page_count_must_match_the_pdf(closed, portal):
    case = closed()
    add_document(
        case, title="页数不符", data=make_pdf(3), filename="three.pdf", pages=5
    )
    assert any(
        "5" in text and "3" in text
        for text in zh(p.message for p in make_plan(case).problems)
    )


def test_gap_in_the_group_refuses_filing(closed, portal):
    first, second = closed(), closed()
    as_archivist(portal)
    file(first)
    state = group_state(Group("X001", "XF", YEAR, "D30", "JSJ"))
    del state.items[1]  # a record vanished without a tombstone
    with pytest.raises(FilingRefused) as refused:
        file(second)
    assert any(p.property == "integrity" for p in refused.value.problems)


def test_refiling_is_refused_with_a_clear_message(closed, portal):
    case = closed()
    as_archivist(portal)
    file(case)
    texts = zh(p.message for p in make_plan(case).problems)
    assert texts == [f"该信访件已归档，档号 {case.archival_code}。"]
    with pytest.raises(WorkflowException):
        file(case)


# --- the freeze ------------------------------------------------------------


@pytest.fixture()
def filed(closed, portal):
    case = closed()
    as_archivist(portal)
    file(case)
    as_manager(portal)
    return case


def test_manager_has_no_edit_delete_or_add_right_on_filed_records(filed):
    doc = filed.objectValues()[0]
    for obj in (filed, doc):
        for permission in (
            "Modify portal content",
            "Delete objects",
            "Copy or Move",
            "CMFEditions: Save new version",
            "CMFEditions: Revert to previous versions",
        ):
            assert not api.user.has_permission(permission, obj=obj), (obj, permission)
    assert not api.user.has_permission("xinfang_archive: Add CaseDocument", obj=filed)
    assert api.user.has_permission("View", obj=doc)


def test_plone_api_calls_are_refused(filed, portal):
    """The permissions stop the ordinary API calls, the freeze stops the rest."""
    from OFS.CopySupport import CopyError

    doc = filed.objectValues()[0]
    from zExceptions import Unauthorized as PublisherUnauthorized

    refused = (FrozenRecord, Unauthorized, PublisherUnauthorized, CopyError)
    with pytest.raises(refused):
        api.content.delete(obj=doc)
    with pytest.raises(refused):
        api.content.rename(obj=doc, new_id="renamed")
    with pytest.raises(refused):
        api.content.move(source=filed, target=portal)
    with pytest.raises(refused):
        api.content.copy(source=filed, target=portal["cases"])
    with pytest.raises(refused):
        add_document(filed, title="补充材料")
    assert (
        doc.getId() in filed.objectIds()
        and filed.getId() in portal["cases"].objectIds()
    )


def test_code_that_ignores_permissions_is_stopped_by_the_freeze(filed, portal):
    from OFS.event import ObjectWillBeMovedEvent
    from zope.lifecycleevent import ObjectCopiedEvent

    doc = filed.objectValues()[0]
    doc.title = "改过的标题"
    # (the versioning subscriber, which may run first, refuses too)
    with pytest.raises((FrozenRecord, Unauthorized)):
        notify(ObjectModifiedEvent(doc))
    with pytest.raises(FrozenRecord):
        filed._delObject(doc.getId())
    with pytest.raises(FrozenRecord):
        portal["cases"]._delObject(filed.getId())
    with pytest.raises(FrozenRecord):
        portal._delObject("cases")  # the folder holding it
    with pytest.raises(FrozenRecord):
        notify(ObjectWillBeMovedEvent(doc, filed, doc.getId(), filed, "renamed"))
    with pytest.raises(FrozenRecord):
        notify(ObjectCopiedEvent(doc, doc))
    with (
        pytest.raises((FrozenRecord, Unauthorized)),  # (or initial versioning)
        api.env.adopt_roles(["Manager"]),
    ):
        from plone.dexterity.utils import createContent

        new = createContent("CaseDocument", title="夹带")
        filed._setObject("smuggled", new)


def test_no_new_version_of_a_filed_record(filed):
    with pytest.raises(Unauthorized):
        api.portal.get_tool("portal_repository").save(filed, comment="sneaky")


# --- amendments --------------------------------------------------------------


def test_amendment_changes_records_and_versions(filed, portal):
    from xinfang_archive.archival.amend import amend
    from xinfang_archive.archival.manifest import metadata_digest

    doc = filed.objectValues()[0]
    old_title = doc.title
    as_archivist(portal)
    amendment = amend(doc, {"title": "住建局调查报告（更正）"}, "题名录入错误")
    assert doc.title == "住建局调查报告（更正）"
    assert amendment["changes"] == [
        {
            "field": "title",
            "title": "Document title",
            "before": old_title,
            "after": "住建局调查报告（更正）",
        }
    ]
    assert filed.amendments[-1]["reason"] == "题名录入错误"
    assert filed.amendments[-1]["actor"] == TEST_USER_ID
    digests = [
        e["sha256"]
        for e in filed.archival_manifest
        if e["path"] == doc.getId() and e["field"] == "metadata"
    ]
    assert digests == [metadata_digest(doc)]
    as_manager(portal)
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(doc)
    last = history.retrieve(history.getLength(countPurged=False) - 1)
    assert "题名录入错误" in last["metadata"]["sys_metadata"]["comment"]
    assert api.content.get_state(filed) == "filed"


def test_amendment_can_replace_a_file_and_the_checksum_follows(filed, portal):
    from plone.namedfile.file import NamedBlobFile
    from xinfang_archive.archival.amend import amend

    doc = next(d for d in filed.objectValues() if d.portal_type == "CaseDocument")
    better = make_pdf(2, text="Better scan")
    as_archivist(portal)
    amend(
        doc,
        {
            "file": NamedBlobFile(
                better, filename="rescan.pdf", contentType="application/pdf"
            )
        },
        "原扫描件不清晰，重新扫描",
    )
    entries = [
        e
        for e in filed.archival_manifest
        if e["path"] == doc.getId() and e["field"] == "file"
    ]
    assert [e["sha256"] for e in entries] == [hashlib.sha256(better).hexdigest()]
    assert "rescan.pdf" in filed.amendments[-1]["changes"][0]["after"]


@pytest.mark.parametrize(
    "changes,reason,expected",
    [
        ({"title": "新题名"}, "  ", "修改须填写理由。"),
        ({"title": None}, "理由", "不符合要求"),
        ({"nonesuch": 1}, "理由", "不能修改"),
        ({}, "理由", "没有任何改变"),
    ],
)
def test_bad_amendments_are_refused_and_change_nothing(
    filed, portal, changes, reason, expected
):
    from xinfang_archive.archival.amend import amend
    from xinfang_archive.archival.amend import AmendmentRefused

    doc = filed.objectValues()[0]
    before = (doc.title, len(filed.amendments), filed.archival_manifest)
    as_archivist(portal)
    with pytest.raises(AmendmentRefused) as refused:
        amend(doc, changes, reason)
    assert expected in translate(refused.value.message, target_language="zh_CN")
    assert (doc.title, len(filed.amendments), filed.archival_manifest) == before


def test_amending_a_file_into_an_unusable_one_is_refused(filed, portal):
    from plone.namedfile.file import NamedBlobFile
    from xinfang_archive.archival.amend import amend
    from xinfang_archive.archival.amend import AmendmentRefused

    doc = next(d for d in filed.objectValues() if d.portal_type == "CaseDocument")
    as_archivist(portal)
    with pytest.raises(AmendmentRefused):
        amend(
            doc,
            {
                "file": NamedBlobFile(
                    b"%PDF-1.4 broken", filename="x.pdf", contentType="application/pdf"
                )
            },
            "换文件",
        )


def test_only_those_allowed_amend(filed, portal):
    from plone.app.testing import setRoles
    from xinfang_archive.archival.amend import amend

    setRoles(portal, TEST_USER_ID, ["Inspector"])
    with pytest.raises(Unauthorized):
        amend(filed, {"title": "x"}, "理由")


def test_amended_personal_data_is_recorded_masked(filed, portal):
    from tests.helpers.cases import VALID_ID
    from xinfang_archive.archival.amend import amend

    rows = [dict(row) for row in filed.petitioners]
    rows[0]["phone"] = "13900001111"
    as_archivist(portal)
    amendment = amend(filed, {"petitioners": rows}, "联系电话变更")
    text = amendment["changes"][0]["before"] + amendment["changes"][0]["after"]
    assert (
        VALID_ID not in text and "13900001111" not in text and "13812345678" not in text
    )
    assert filed.petitioners[0]["phone"] == "13900001111"


# --- the control panel -------------------------------------------------------


def _filing_panel(portal, form=None):
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    request = portal.REQUEST
    alsoProvides(request, IXinfangArchiveLayer)
    request.form.update(form or {})
    return api.content.get_view("xinfang-filing-settings", portal, request)()


def test_filing_control_panel_shows_the_schedule_as_a_table(manager):
    html = _filing_panel(manager)
    assert 'id="retention-schedule"' in html
    assert "类别: 纪检举报" in html and "永久" in html and "其他信访事项" in html
    assert "form.widgets.retention_rules" in html and "X001" in html


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("retention_rules", "category=land|D20|x\n*|D30|y", "D20"),
        ("retention_rules", "category=nonesuch|Y|x\n*|D30|y", "nonesuch"),
        ("retention_rules", "category=land|Y|x", "必须有且只有一条默认规则"),
        ("fonds_code", "X1", "全宗号应为四位大写字母或数字"),
        ("category_code", "xf", "门类代码应为两位大写字母"),
        ("organisation_codes", "JSJ|J-S|住建局", "J-S"),
    ],
)
def test_filing_control_panel_refuses_bad_values(manager, field, value, message):
    before = api.portal.get_registry_record(f"{PREFIX}.{field}")
    form = {
        f"form.widgets.{name}": api.portal.get_registry_record(f"{PREFIX}.{name}")
        for name in ("fonds_code", "fonds_name", "category_code")
    }
    form.update(
        {
            "form.widgets.organisation_basis": ["unit"],
            "form.widgets.organisation_codes": "\n".join(
                api.portal.get_registry_record(f"{PREFIX}.organisation_codes")
            ),
            "form.widgets.retention_rules": "\n".join(
                api.portal.get_registry_record(f"{PREFIX}.retention_rules")
            ),
            f"form.widgets.{field}": value,
            "form.buttons.save": "Save",
        }
    )
    html = _filing_panel(manager, form)
    assert message in html
    assert api.portal.get_registry_record(f"{PREFIX}.{field}") == before


def test_zmi_management_methods_refuse_a_filed_record(filed, portal, request_):
    """The ZMI's property, security, ownership and WebDAV methods change an
    object without events: each one is refused on a filed record, Manager
    or not, and the record is unchanged."""
    from xinfang_archive.content.frozen import MANAGEMENT_CHANGES

    doc = filed.objectValues()[0]
    request_.form.update({"title": "ZMI 改过的标题"})
    calls = {
        "manage_addProperty": (("extra", "x", "string"), {}),
        "manage_editProperties": ((request_,), {}),
        "manage_changeProperties": ((), {"title": "ZMI 改过的标题"}),
        "manage_changePropertyTypes": (([],), {}),
        "manage_delProperties": ((["title"],), {}),
        "manage_role": (("Reader", ["View"]), {}),
        "manage_acquiredPermissions": (([],), {}),
        "manage_permission": (("View", ["Anonymous"], 0), {}),
        "manage_changePermissions": ((request_,), {}),
        "manage_defined_roles": (("Add Role", request_), {}),
        "manage_addLocalRoles": (("intruder", ["Owner"]), {}),
        "manage_setLocalRoles": (("intruder", ["Owner"]), {}),
        "manage_delLocalRoles": ((["admin"],), {}),
        "manage_takeOwnership": ((request_,), {}),
        "manage_changeOwnershipType": ((), {}),
        "changeOwnership": ((None,), {}),
        "PUT": ((request_, request_.response), {}),
        "manage_FTPput": ((request_, request_.response), {}),
    }
    assert set(calls) == set(MANAGEMENT_CHANGES)
    for obj in (filed, doc):
        title = obj.title
        roles = dict(obj.get_local_roles())
        view = obj.rolesOfPermission("View")
        owner = obj.getOwnerTuple()
        for name, (args, kwargs) in calls.items():
            with pytest.raises(FrozenRecord):
                getattr(obj, name)(*args, **kwargs)
        assert obj.title == title and dict(obj.get_local_roles()) == roles
        assert obj.rolesOfPermission("View") == view and obj.getOwnerTuple() == owner
    open_case = api.content.create(
        container=portal["cases"], type="PetitionCase", **case_data()
    )
    open_case.manage_changeProperties(
        title="未归档的可以改"
    )  # the methods still work elsewhere
    assert open_case.title == "未归档的可以改"
