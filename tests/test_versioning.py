"""Every edit makes a version; the CMFEditions Unauthorized pitfall is closed."""

from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from xinfang_archive.localtime import local_today
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent


def history(obj):
    return api.portal.get_tool("portal_repository").getHistoryMetadata(obj)


def test_creation_makes_first_version(make_case):
    case = make_case()
    assert history(case).getLength(countPurged=False) == 1


def test_every_edit_makes_a_version(make_case):
    case = make_case()
    for summary in ("第一次补充", "第二次补充"):
        case.summary = summary
        notify(ObjectModifiedEvent(case))
    assert history(case).getLength(countPurged=False) == 3
    repository = api.portal.get_tool("portal_repository")
    assert repository.retrieve(case, 1).object.summary == "第一次补充"


def test_children_are_versioned_too(make_case):
    case = make_case()
    from plone.namedfile.file import NamedBlobFile

    document = api.content.create(
        container=case,
        type="CaseDocument",
        title="来信原件",
        file=NamedBlobFile(b"letter", filename="letter.txt", contentType="text/plain"),
        responsible="张三",
        document_date=local_today(),
        classification="internal",
    )
    document.pages = 2
    notify(ObjectModifiedEvent(document))
    assert history(document).getLength(countPurged=False) == 2


def test_edit_by_role_without_site_wide_save_permission(portal, make_case, staff):
    """The pitfall: a modified event for a user without "CMFEditions: Save new
    version" makes CMFEditions raise Unauthorized.  The case workflow maps that
    permission to exactly the roles that may modify in each state, so whoever
    may edit also records the version, whatever the site-wide setting."""
    case = make_case()
    portal.manage_permission(
        "CMFEditions: Save new version", roles=["Manager"], acquire=False
    )
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "registrar")
    assert api.user.has_permission("Modify portal content", obj=case)
    assert not api.user.has_permission("CMFEditions: Save new version", obj=portal)

    case.summary = "登记员补充事由"
    notify(ObjectModifiedEvent(case))  # raised Unauthorized without the mapping

    metadata = history(case)
    assert metadata.getLength(countPurged=False) == 2
    assert metadata.retrieve(-1)["metadata"]["sys_metadata"]["principal"] == "registrar"


def test_save_version_follows_modify_in_every_state(portal):
    """Structural guard: in each state the same roles modify and save versions
    (a filed record is modified by nobody; its amended versions are saved by
    the ArchiveAmender role, which amendments adopt for that one call; where
    roles that do not edit the case add documents, their Owner saves the
    first version of what they added)."""
    workflow = api.portal.get_tool("portal_workflow")["xf_case_workflow"]
    for state in workflow.states.objectValues():
        modify = set(state.getPermissionInfo("Modify portal content")["roles"])
        save = set(state.getPermissionInfo("CMFEditions: Save new version")["roles"])
        if state.getId() == "filed":
            assert modify == set() and save == {"ArchiveAmender"}
        elif state.getId() in ("in_progress", "in_review", "in_rereview"):
            assert save == modify | {"Owner"}, state.getId()
        else:
            assert modify == save, state.getId()


def test_creations_take_random_ids_and_write_no_shared_counter(make_case, portal):
    """CMFUid's ids (the version histories' among them) no longer come from
    the one counter object every creation wrote (two creations at once
    conflicted there); the old counter stays as it was."""
    from Products.CMFUid.interfaces import IUniqueIdGenerator
    from xinfang_archive.content.uids import FLOOR
    from xinfang_archive.content.uids import RandomUidGenerator
    from zope.component import getUtility

    assert isinstance(getUtility(IUniqueIdGenerator), RandomUidGenerator)
    counter = portal.portal_uidgenerator._uid_counter
    first, second = make_case(title="甲"), make_case(title="乙")
    ids = [portal.portal_historyidhandler.queryUid(case) for case in (first, second)]
    assert all(uid >= FLOOR for uid in ids) and ids[0] != ids[1]
    assert len(history(first)) == 1 and len(history(second)) == 1
    assert portal.portal_uidgenerator._uid_counter == counter
    assert not portal.portal_uidgenerator._p_changed


def test_modifier_conditions_are_asked_once_per_kind_in_a_transaction(
    make_case, monkeypatch
):
    """The TALES conditions of portal_modifier are evaluated for the first
    save of a kind of object in a transaction; the next saves of the same kind
    reuse the answer, and yet each kind (an empty folder is one, the same
    folder with content another) gets its own answer."""
    from Products.CMFEditions.Modifiers import ConditionalTalesModifier

    asked = []
    original = ConditionalTalesModifier.isApplicable

    def counting(self, obj, portal=None):
        asked.append((self.getId(), obj.portal_type))
        return original(self, obj, portal)

    monkeypatch.setattr(ConditionalTalesModifier, "isApplicable", counting)
    first, second = make_case(), make_case()
    assert asked  # the first case was asked about
    for case in (first, second):
        case.summary = "补充事由"
        notify(ObjectModifiedEvent(case))
    assert history(second).getLength(countPurged=False) == 2
    asked_for_cases = [a for a in asked if a[1] == "PetitionCase"]
    modifiers = {name for name, _type in asked_for_cases}
    assert len(asked_for_cases) == len(
        modifiers
    )  # each condition once for all these saves

    # another type, and the same type with another interface, are other kinds
    from plone.base.interfaces import INonStructuralFolder
    from plone.namedfile.file import NamedBlobFile
    from zope.interface import alsoProvides

    for title in ("来信原件", "补充材料"):
        api.content.create(
            container=first,
            type="CaseDocument",
            title=title,
            file=NamedBlobFile(
                b"letter", filename="letter.txt", contentType="text/plain"
            ),
            responsible="张三",
            document_date=local_today(),
            classification="internal",
        )
    assert len([a for a in asked if a[1] == "CaseDocument"]) == len(modifiers)

    alsoProvides(first, INonStructuralFolder)  # a condition asks for it
    first.summary = "再补充"
    notify(ObjectModifiedEvent(first))
    assert len([a for a in asked if a[1] == "PetitionCase"]) == 2 * len(modifiers)
    assert history(first).getLength(countPurged=False) == 3


def test_modifier_answers_do_not_outlive_the_transaction(make_case, monkeypatch):
    from xinfang_archive.content.modifier_conditions import collect_modifiers

    import transaction

    make_case()
    assert transaction.get().data(collect_modifiers)
    transaction.savepoint()
    transaction.abort()
    import pytest

    with pytest.raises(KeyError):
        transaction.get().data(collect_modifiers)
