"""The add-on installs its types, workflows, roles, groups and indexes."""

from plone import api

import pytest


TYPES = (
    "CaseFolder",
    "PetitionCase",
    "CaseDocument",
    "Reply",
    "Supervision",
    "ScreeningReport",
    "CoordinationMeeting",
    "LeaderReception",
    "AccountabilityRecord",
    "EarlyWarning",
)


def test_installed(installer):
    assert installer.is_product_installed("xinfang_archive")


@pytest.mark.parametrize("type_id", TYPES)
def test_types_registered(portal, type_id):
    assert type_id in api.portal.get_tool("portal_types").objectIds()


@pytest.mark.parametrize("type_id", TYPES[1:])
def test_every_editable_type_is_versioned(portal, type_id):
    fti = api.portal.get_tool("portal_types")[type_id]
    assert "plone.versioning" in fti.behaviors
    repository = api.portal.get_tool("portal_repository")
    assert type_id in repository.getVersionableContentTypes()
    assert "at_edit_autoversion" in repository.getPolicyMap().get(type_id, ())


def test_case_workflow_bound(portal):
    wf = api.portal.get_tool("portal_workflow")
    assert wf.getChainForPortalType("PetitionCase") == ("xf_case_workflow",)
    assert wf.getChainForPortalType("CaseFolder") == ("xf_internal_workflow",)
    assert wf.getChainForPortalType("Reply") == ()


@pytest.mark.parametrize(
    "group,role",
    [
        ("registrars", "Registrar"),
        (
            "case_handlers",
            "UnitStaff",
        ),  # their cases come from their units (privacy.units)
        ("hearing_organizers", "HearingOrganizer"),
        ("archivists", "Archivist"),
        ("inspectors", "Inspector"),
    ],
)
def test_groups_carry_roles(portal, group, role):
    found = api.group.get(groupname=group)
    assert found is not None
    assert role in api.group.get_roles(groupname=group)


def test_catalog_indexes(portal):
    catalog = api.portal.get_tool("portal_catalog")
    for name in (
        "registration_number",
        "case_deadline",
        "petitioner_keys",
        "case_flags",
    ):
        assert name in catalog.indexes()


def test_case_folder_created(portal):
    assert portal["cases"].portal_type == "CaseFolder"
    assert api.content.get_state(portal["cases"]) == "internal"


def test_anonymous_cannot_see_case_folder(portal):
    with api.env.adopt_roles(["Anonymous"]):
        assert not api.user.has_permission("View", obj=portal["cases"])


def test_reinstall_keeps_index_content(make_case, setup_tool):
    """Re-applying the profile must not empty the add-on's catalog indexes."""
    case = make_case()
    catalog = api.portal.get_tool("portal_catalog")
    query = {"registration_number": case.registration_number}
    assert len(catalog(**query)) == 1
    setup_tool.runAllImportStepsFromProfile("profile-xinfang_archive:default")
    assert len(catalog(**query)) == 1
