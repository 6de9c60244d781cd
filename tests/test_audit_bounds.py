"""What anonymous requests can make the audit trail write: bounded entries,
failed logins counted past a per-source and an overall rate."""

from tests.helpers.audit import Clock
from xinfang_archive.audit.recorder import _bounded
from xinfang_archive.audit.recorder import MAX_ITEMS
from xinfang_archive.audit.recorder import MAX_TEXT
from xinfang_archive.audit.throttle import Throttle


def test_failed_logins_past_the_rate_are_counted_not_written():
    clock = Clock()
    throttle = Throttle(per_source=3, overall=5, window=60, clock=clock)
    decisions = [throttle.admit("10.0.0.1") for _i in range(10)]
    assert decisions[:3] == [(True, 0)] * 3
    assert decisions[3:] == [(False, 0)] * 7
    assert throttle.admit("10.0.0.2") == (True, 0)
    assert throttle.admit("10.0.0.3") == (True, 0)
    assert throttle.admit("10.0.0.4") == (False, 0)  # overall limit reached
    clock.now += 61
    # the next written entry of a source says how many were left out
    assert throttle.admit("10.0.0.1") == (True, 7)
    assert throttle.admit("10.0.0.1") == (True, 0)
    assert throttle.admit("10.0.0.4") == (True, 1)


def test_entries_are_bounded_whatever_a_request_sends():
    huge = "名" * 350_000
    bounded = _bounded(
        {"title": huge, "rows": list(range(10_000)), "nested": {"a": [huge]}}, MAX_TEXT
    )
    assert len(bounded["title"]) < MAX_TEXT + 20 and bounded["title"].endswith(
        "…[350000]"
    )
    assert (
        len(bounded["rows"]) == MAX_ITEMS + 1
        and bounded["rows"][-1] == f"…{10_000 - MAX_ITEMS} more"
    )
    assert len(bounded["nested"]["a"][0]) < MAX_TEXT + 20
    assert _bounded({"x": 1, "y": None, "z": True}, MAX_TEXT) == {
        "x": 1,
        "y": None,
        "z": True,
    }


def test_reset_forgets_the_counts():
    clock = Clock()
    throttle = Throttle(per_source=1, overall=5, window=60, clock=clock)
    assert throttle.admit("a") == (True, 0) and throttle.admit("a") == (False, 0)
    throttle.reset()
    assert throttle.admit("a") == (True, 0)
