"""Work waiting for the commit takes part in savepoints (``pending_work``):
rolling a plain ``transaction.savepoint()`` back drops the audit entries
and the full-text documents of what it undid, nested savepoints each go
back to their own point, and the commit writes only what remains."""

from plone import api
from Products.CMFCore.indexing import processQueue
from tests.helpers.audit import actions_of
from tests.helpers.cases import case_data
from tests.helpers.search import create_case
from tests.helpers.search import found
from xinfang_archive.audit.recorder import pending_entries
from xinfang_archive.audit.recorder import record
from xinfang_archive.search.queue import pending_documents

import transaction


def _summary(case, text):
    case.summary = text
    case.reindexObject()
    processQueue()  # the documents are built now, as before a catalog search


def _actions():
    return [e["action"] for e in pending_entries()]


def test_a_rolled_back_savepoint_drops_pending_entries_and_documents(site):
    case = create_case(site, summary="村民反映灌溉水渠年久失修。")
    record("view", case)
    _summary(case, "村民反映集体土地被违规出租。")
    built = pending_documents()[case.UID()]
    savepoint = transaction.savepoint()
    record("download", case)
    _summary(case, "村民反映小区电梯长期停运。")
    assert _actions() == ["view", "download"]
    assert pending_documents()[case.UID()] is not built

    savepoint.rollback()
    assert _actions() == ["view"]
    assert pending_documents()[case.UID()] is built
    transaction.commit()
    assert actions_of(case)[-2:] == ["create", "view"]
    assert found(site, "违规出租") == [case.UID()]
    assert found(site, "电梯") == [] and found(site, "灌溉水渠") == []


def test_nested_savepoints_each_go_back_to_their_own_point(site):
    case = create_case(site, summary="村民反映道路硬化工程质量差。")
    outer = transaction.savepoint()
    record("view", case)
    _summary(case, "村民反映垃圾清运不及时。")
    inner = transaction.savepoint()
    record("download", case)
    other = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(summary="村民反映公交线路撤并。"),
    )
    processQueue()
    other_id, other_uid = other.getId(), other.UID()
    assert {case.UID(), other_uid} <= set(pending_documents())

    inner.rollback()
    assert _actions() == ["view"]
    assert case.UID() in pending_documents()
    assert other_uid not in pending_documents()
    assert other_id not in site["cases"]
    record("export", case)  # work after a rollback is kept
    assert _actions() == ["view", "export"]

    outer.rollback()
    assert pending_entries() == [] and pending_documents() == {}
    record("print", case)
    transaction.commit()
    assert actions_of(case)[-2:] == ["create", "print"]
    assert found(site, "道路硬化") == [case.UID()]
    assert found(site, "垃圾清运") == [] and found(site, "公交线路") == []


def test_work_that_joined_after_the_savepoint_leaves_with_it(site):
    """The transaction's first entry and document come after the savepoint:
    its rollback ends their participants, the next use joins new ones, and
    the commit writes what came after."""
    case = create_case(site, summary="村民反映养殖场气味扰民。")
    savepoint = transaction.savepoint()
    record("view", case)
    _summary(case, "村民反映停车位被长期占用。")
    assert _actions() == ["view"] and case.UID() in pending_documents()

    savepoint.rollback()
    assert pending_entries() == [] and pending_documents() == {}
    record("download", case)
    _summary(case, "村民反映路灯损坏无人维修。")
    transaction.commit()
    assert actions_of(case)[-2:] == ["create", "download"]
    assert found(site, "路灯损坏") == [case.UID()]
    assert found(site, "停车位") == [] and found(site, "养殖场") == []
