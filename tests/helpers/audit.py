"""Audit trail test data: entries for a store, the trail the search tests read
(SQLite, and copied into PostgreSQL), what a site's trail holds about an
object, and a clock the throttles read."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from xinfang_archive.audit.recorder import audit_store
from xinfang_archive.audit.store import AuditStore


T0 = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
CASE = "/Plone/cases/2024/xf-2024-000123"


def entry(i, **fields):
    data = {
        "time": T0 + timedelta(minutes=i),
        "actor": f"archivist{i % 3 + 1}",
        "action": "edit",
        "object_uid": f"uid{i}",
        "object_path": f"{CASE}/doc-{i}",
        "object_title": f"第{i}号答复意见书",
        "details": {"fields": ["title"], "序号": i},
    }
    data.update(fields)
    return data


def entries_for(obj=None, **filters):
    if obj is not None:
        filters["obj"] = obj.UID()
    return list(audit_store().iter_entries(**filters))


def actions_of(obj):
    return [e.action for e in entries_for(obj)]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def searchable_store(tmp_path):
    """The trail the search tests read (run again on PostgreSQL from a copy)."""
    store = AuditStore(tmp_path / "audit.sqlite")
    utc = lambda *args: datetime(*args, tzinfo=UTC)
    store.append(
        [
            {
                "time": utc(2024, 3, 1, 2),
                "actor": "archivist1",
                "action": "create",
                "object_uid": "u1",
                "object_path": CASE,
                "object_title": "征地补偿款未按时发放",
            },
            {
                "time": utc(2024, 3, 1, 17),
                "actor": "archivist1",
                "action": "edit",
                "object_uid": "u1",
                "object_path": CASE,
                "object_title": "征地补偿款未按时发放（修改）",
                "details": {"fields": ["title"]},
            },
            {
                "time": utc(2024, 3, 2, 9),
                "actor": "registrar1",
                "action": "transition",
                "object_uid": "u2",
                "object_path": CASE + "/reply-1",
                "object_title": "答复意见书",
                "details": {"from": "accepted", "to": "in_progress"},
            },
            {
                "time": utc(2024, 3, 3, 1),
                "actor": "inspector1",
                "action": "view",
                "object_uid": "u3",
                "object_path": CASE + "4",
                "object_title": "低保救助申请",
            },
            {
                "time": utc(2024, 3, 5, 3),
                "actor": "archivist2",
                "action": "appraisal.propose",
                "object_uid": "u4",
                "object_path": "/Plone/archive/2019/x",
                "object_title": "2019年信访件",
                "details": {"reason": "保管期限已满"},
            },
            {
                "time": utc(2024, 3, 5, 4),
                "actor": "archivist2",
                "action": "appraisal.approve",
                "object_uid": "u4",
                "object_path": "/Plone/archive/2019/x",
                "object_title": "2019年信访件",
            },
            {
                "time": utc(2024, 3, 6, 5),
                "actor": "anonymous",
                "action": "login_failed",
                "details": {"ip": "10.0.0.7"},
            },
            {
                "time": utc(2024, 3, 6, 6),
                "actor": "archivist3",
                "action": "appraisal",
                "object_title": "100%_完成",
            },
        ]
    )
    return store
