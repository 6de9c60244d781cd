"""Accusation material (举报) as a policy: sealed on every permission from
everyone who may not see it, the seal following the case's workflow, the
flag cleared only by a request and a second person's approval."""

from AccessControl import Unauthorized
from AccessControl.Permission import Permission
from AccessControl.PermissionRole import rolesForPermissionOn
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from tests.helpers.archival import add_document
from tests.helpers.archival import close_case
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from xinfang_archive.audit.recorder import pending_entries
from xinfang_archive.privacy.accusation import accusation_roles
from xinfang_archive.privacy.accusation import is_sealed
from xinfang_archive.privacy.clearing import approve_clearing
from xinfang_archive.privacy.clearing import ClearingRefused
from xinfang_archive.privacy.clearing import reject_clearing
from xinfang_archive.privacy.clearing import request_clearing

import pytest


SEEN_BY = {"Manager", "Site Administrator", "Registrar", "Inspector", "Archivist"}


@pytest.fixture()
def handled(manager, staff):
    """A case in 办理中 at the housing bureau with a plain and an accusation document."""
    case = api.content.create(
        container=manager["cases"],
        type="PetitionCase",
        **case_data(category="discipline"),
    )
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    plain = add_document(case, title="来信")
    secret = add_document(
        case, title="实名举报信", filename="jubao.pdf", accusation=True
    )
    return case, plain, secret


def roles_holding(permission, obj):
    return set(rolesForPermissionOn(permission, obj) or ())


def test_every_permission_of_accusation_material_is_sealed(handled):
    case, plain, secret = handled
    assert is_sealed(secret) and not is_sealed(plain)
    allowed = accusation_roles()
    assert allowed - {"ArchiveAmender"} == SEEN_BY
    from xinfang_archive.privacy.accusation import all_permissions

    permissions = all_permissions(secret)
    assert len(permissions) > 100  # all of them, not a list of the ones we remember
    assert "CMFEditions: Access previous versions" in permissions
    for name in permissions:
        owner = {"Owner"} if name == "CMFEditions: Save new version" else set()
        assert roles_holding(name, secret) <= allowed | owner, name
        held = roles_holding(name, case)
        held |= allowed if held & {"Anonymous", "Authenticated"} else set()
        assert (
            roles_holding(name, secret) == held & (allowed | owner)
            or name == "xinfang_archive: Flag accusation material"
        ), name
        assert isinstance(getattr(secret, Permission(name, (), secret)._p), tuple), (
            name
        )  # not acquired
    # the handler's role views and edits the case (and its plain documents), and nothing here
    for name in ("View", "Modify portal content"):
        assert "CaseHandler" in roles_holding(name, case) & roles_holding(
            name, plain
        ), name
    for name in (
        "View",
        "Access contents information",
        "Modify portal content",
        "Delete objects",
        "Copy or Move",
        "CMFEditions: Access previous versions",
        "CMFEditions: Revert to previous versions",
    ):
        assert not {
            "CaseHandler",
            "HearingOrganizer",
            "Owner",
            "Reader",
            "Editor",
        } & roles_holding(name, secret)
    assert roles_holding("xinfang_archive: Flag accusation material", secret) == set()


def test_the_seal_follows_the_case_through_its_workflow(handled):
    case, _plain, secret = handled
    assert "Registrar" not in roles_holding(
        "Modify portal content", secret
    )  # 办理中: not the registrar's
    add_reply_and_reply(case)
    assert api.content.get_state(case) == "replied"
    assert "Registrar" in roles_holding("Modify portal content", case)
    assert "Registrar" in roles_holding(
        "Modify portal content", secret
    )  # 已答复: the registrar edits
    assert "CaseHandler" in roles_holding("Modify portal content", case)
    assert "CaseHandler" not in roles_holding("Modify portal content", secret)


def test_the_seal_follows_a_changed_workflow(handled):
    """A workflow whose permissions change reaches existing cases through
    portal_workflow.updateRoleMappings(), which fires no event: the seal
    follows all the same."""
    case, _plain, secret = handled
    assert "Inspector" in roles_holding("View", secret)
    state = api.portal.get_tool("portal_workflow")["xf_case_workflow"].states[
        "in_progress"
    ]
    roles = [r for r in state.getPermissionInfo("View")["roles"] if r != "Inspector"]
    state.setPermission("View", False, roles)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    assert "Inspector" not in roles_holding("View", case)
    assert "Inspector" not in roles_holding("View", secret)
    assert "Registrar" in roles_holding("View", secret)


def add_reply_and_reply(case):
    from tests.helpers.archival import add_reply

    add_reply(case, "handling_opinion", outcome="explain")
    do(case, "reply")


def test_the_accused_unit_neither_reads_nor_changes_it(handled, portal):
    case, plain, secret = handled
    setRoles(portal, TEST_USER_ID, ["Member"])
    for user in ("handler", "organizer"):
        login(portal, user)
        assert api.user.has_permission("View", obj=plain) or user == "organizer"
        for name in (
            "View",
            "Modify portal content",
            "CMFEditions: Access previous versions",
            "CMFEditions: Revert to previous versions",
            "Delete objects",
        ):
            assert not api.user.has_permission(name, obj=secret), (user, name)
        titles = [
            b.Title for b in api.content.find(context=case, portal_type="CaseDocument")
        ]
        assert "实名举报信" not in titles
    for user in ("registrar", "inspector", "archivist"):
        login(portal, user)
        assert api.user.has_permission("View", obj=secret), user


def test_nobody_clears_the_flag_by_editing(handled, portal):
    _case, _plain, secret = handled
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "registrar")
    assert (
        api.user.has_permission("Modify portal content", obj=secret) is False
    )  # 办理中
    assert not api.user.has_permission(
        "xinfang_archive: Flag accusation material", obj=secret
    )
    login(portal, "handler")
    assert api.user.has_permission(
        "xinfang_archive: Flag accusation material", obj=_plain
    )


def test_clearing_takes_a_request_and_a_second_person(handled, portal):
    _case, _plain, secret = handled
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "handler")
    with pytest.raises(Unauthorized):
        request_clearing(secret, "误标")
    login(portal, "registrar")
    with pytest.raises(ClearingRefused):
        request_clearing(secret, "  ")
    request_clearing(secret, "经核实为普通来信，误标为举报材料")
    with pytest.raises(ClearingRefused):
        request_clearing(secret, "再次申请")
    with pytest.raises(ClearingRefused) as refused:
        approve_clearing(secret)  # not one's own request
    assert "second person" in str(refused.value.message)
    assert secret.accusation and is_sealed(secret)
    login(portal, "archivist")
    approve_clearing(secret)
    assert not secret.accusation and not is_sealed(secret)
    actions = [
        e["action"]
        for e in pending_entries()
        if e["object_path"].endswith(secret.getId())
    ]
    assert actions.index("accusation.request") < actions.index("accusation.clear")
    cleared = [e for e in pending_entries() if e["action"] == "accusation.clear"][-1]
    assert cleared["details"]["requested_by"] == "registrar"
    assert cleared["details"]["approved_by"] == "archivist"
    login(portal, "handler")
    assert api.user.has_permission(
        "View", obj=secret
    )  # an ordinary document of the case now


def test_a_request_can_be_withdrawn_or_rejected(handled, portal):
    _case, _plain, secret = handled
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "registrar")
    request_clearing(secret, "误标")
    reject_clearing(secret)  # withdrawn by the requester
    request_clearing(secret, "误标")
    login(portal, "archivist")
    reject_clearing(secret, "确为举报材料")
    with pytest.raises(ClearingRefused):
        approve_clearing(secret)
    assert secret.accusation and is_sealed(secret)
    actions = [e["action"] for e in pending_entries()]
    assert "accusation.withdraw" in actions and "accusation.reject" in actions


def test_a_filed_record_is_cleared_only_through_the_flow_as_an_amendment(
    manager, staff, portal
):
    from xinfang_archive.archival.amend import amend
    from xinfang_archive.archival.amend import AmendmentRefused

    case = api.content.create(
        container=manager["cases"], type="PetitionCase", **case_data()
    )
    secret = add_document(case, title="举报材料", filename="jubao.pdf", accusation=True)
    close_case(case)
    setRoles(portal, TEST_USER_ID, ["Archivist"])
    do(case, "file")
    assert is_sealed(secret)
    assert "ArchiveAmender" in roles_holding("CMFEditions: Save new version", secret)
    with pytest.raises(AmendmentRefused):
        amend(secret, {"accusation": False}, "撤销")
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "registrar")
    request_clearing(secret, "误标")
    login(portal, "archivist")
    approve_clearing(secret)
    assert not secret.accusation
    amendment = case.amendments[-1]
    assert amendment["changes"][0]["field"] == "accusation"
    assert "申请：registrar，批准：archivist" in amendment["reason"]


def test_the_accused_unit_reaches_it_by_no_url(functional_portal, session_for):
    """The attack of the trust review: the handler tries every page and
    service of the document, and the form that used to clear the flag."""
    import requests
    import transaction

    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    case = api.content.create(
        container=functional_portal["cases"],
        type="PetitionCase",
        **case_data(category="discipline"),
    )
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    secret = add_document(
        case,
        title="实名举报信",
        filename="jubao.pdf",
        accusation=True,
        responsible="举报人李四",
    )
    transaction.commit()
    url = secret.absolute_url()
    handler = session_for("handler")
    for path in (
        "",
        "/view",
        "/@@edit",
        "/@@history",
        "/@@historyview",
        "/@@download/file",
        "/@@display-file/file",
        "/@@accusation-clearing",
        "/@@amend",
        "/++api++",
        "/++api++/@history",
        "/++api++/@history/0",
        "/@@record-history",
        # public views of Plone, published on the sealed document (privacy/traversal.py)
        "/@@passwordreset",
        "/@@sitemap",
        "/@@main_template",
        "/@@title",
        "/@@contact-info",
    ):
        for who, session in (("handler", handler), ("anonymous", requests.Session())):
            response = session.get(url + path, allow_redirects=False)
            assert response.status_code in (302, 401, 403, 404), (
                who,
                path,
                response.status_code,
            )
            for secret_text in ("实名举报信", "举报人李四", "jubao.pdf"):
                assert secret_text not in readable(response), (who, path, secret_text)
    posted = handler.post(
        url + "/@@edit",
        data={
            "form.widgets.title": "来信",
            "form.widgets.accusation-empty-marker": "1",
            "form.buttons.save": "保存",
        },
        allow_redirects=False,
    )
    assert posted.status_code in (302, 401, 403), posted.status_code
    transaction.begin()
    assert secret.accusation and secret.title == "实名举报信"
    # the registrar sees it, and the edit form (已答复 or not) offers no way to clear the flag
    registrar = session_for("registrar")
    assert "实名举报信" in readable(registrar.get(url))


def readable(response):
    """The response's text, JSON with its characters unescaped."""
    import json

    if "json" in response.headers.get("Content-Type", ""):
        try:
            return json.dumps(response.json(), ensure_ascii=False)
        except ValueError:
            pass
    return response.text
