"""Audit trail: time to verify the hash chain of a large log.

    .venv/bin/python benchmarks/audit_verify.py [--entries 1000000] [--path FILE] [--batch 10000]

Builds an audit database of N entries (about two minutes apart, from
January 2021: a million cover four years) through ``AuditStore.append`` in
batches: staff actors, the archive's actions, case paths, Chinese titles from the
petition-work corpus and small details dicts.  Then prints the build time,
the file size, the time of ``verify()`` and a few filtered searches.
Without ``--path`` the database lives in a temporary directory, removed after.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from pathlib import Path

import argparse
import random
import sys
import tempfile
import time


sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

ACTORS = (
    [f"registrar{i}" for i in range(1, 6)]
    + [f"handler{i}" for i in range(1, 13)]
    + [f"archivist{i}" for i in range(1, 4)]
    + ["organizer1", "organizer2", "inspector1", "admin"]
)
# (action, weight)
ACTIONS = [
    ("view", 40),
    ("edit", 12),
    ("create", 8),
    ("transition", 10),
    ("download", 10),
    ("file", 3),
    ("amend", 1),
    ("export", 2),
    ("appraisal.propose", 1),
    ("appraisal.approve", 1),
    ("hold", 1),
    ("release", 1),
    ("delete", 1),
    ("login_failed", 2),
    ("fixity", 2),
]
TRANSITIONS = [
    ("registered", "accepted"),
    ("accepted", "in_progress"),
    ("in_progress", "replied"),
    ("replied", "closed"),
    ("closed", "filed"),
]
DOCUMENTS = [
    "答复意见书.pdf",
    "来信扫描件.pdf",
    "听证笔录.docx",
    "调查报告.pdf",
    "受理告知书.pdf",
]
FIELDS = ["title", "summary", "request", "responsible_unit", "grade", "category"]


def details_for(action, rng):
    if action == "transition":
        old, new = rng.choice(TRANSITIONS)
        return {
            "from": old,
            "to": new,
            "comment": rng.choice(["", "同意", "按期办结", "请补充材料"]),
        }
    if action in ("edit", "amend"):
        return {"fields": rng.sample(FIELDS, rng.randint(1, 3))}
    if action in ("download", "file"):
        return {"file": rng.choice(DOCUMENTS), "size": rng.randint(20_000, 4_000_000)}
    if action == "login_failed":
        return {"ip": f"10.0.{rng.randrange(256)}.{rng.randrange(256)}"}
    if action.startswith("appraisal.") or action in ("hold", "release"):
        return {"reason": rng.choice(["保管期限已满", "涉诉冻结", "审计要求"])}
    return {}


class EntryFactory:
    def __init__(self, titles, seed=11):
        self.rng = random.Random(seed)
        self.titles = titles
        self.actions, self.weights = zip(*ACTIONS, strict=False)
        self.moment = datetime(2021, 1, 4, 1, 0, tzinfo=UTC)

    def batch(self, size):
        rng = self.rng
        actions = rng.choices(self.actions, self.weights, k=size)
        out = []
        for action in actions:
            self.moment += timedelta(
                seconds=rng.randint(1, 240), microseconds=rng.randrange(1_000_000)
            )
            year = self.moment.year
            number = rng.randrange(1, 30_000)
            path = f"/Plone/cases/{year}/xf-{year}-{number:06d}"
            if rng.random() < 0.3:
                path += f"/reply-{rng.randint(1, 3)}"
            login = action == "login_failed"
            out.append(
                {
                    "time": self.moment,
                    "actor": "anonymous" if login else rng.choice(ACTORS),
                    "action": action,
                    "object_uid": "" if login else f"{rng.getrandbits(128):032x}",
                    "object_path": "" if login else path,
                    "object_title": "" if login else rng.choice(self.titles),
                    "details": details_for(action, rng),
                }
            )
        return out


def build(store, entries, batch):
    from xinfang_archive.demo.corpus import load_sentences

    titles = [sentence[:30].rstrip("，。") for sentence in load_sentences()]
    factory = EntryFactory(titles)
    appending = 0.0
    started = time.perf_counter()
    for done in range(0, entries, batch):
        rows = factory.batch(min(batch, entries - done))
        tick = time.perf_counter()
        store.append(rows)
        appending += time.perf_counter() - tick
        if (done + batch) % 200_000 == 0:
            print(f"  … {done + batch:,} entries", flush=True)
    return time.perf_counter() - started, appending


def timed(label, call, repeat=5):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    total = result[0] if isinstance(result, tuple) else len(result)
    print(f"  {label:48} {best * 1000:8.1f} ms  ({total:,} matches)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument(
        "--batch", type=int, default=10_000, help="entries per append (one transaction)"
    )
    parser.add_argument(
        "--path",
        help="database file (default: in a temporary directory, removed after)",
    )
    args = parser.parse_args()

    from xinfang_archive.audit.store import AuditStore

    with tempfile.TemporaryDirectory(prefix="xinfang-audit-") as work:
        path = Path(args.path or Path(work) / "audit.sqlite")
        store = AuditStore(path)
        have = store.head()[0]
        if have < args.entries:
            print(
                f"building {args.entries - have:,} entries in batches of {args.batch:,} into {path}",
                flush=True,
            )
            seconds, appending = build(store, args.entries - have, args.batch)
            print(
                f"built in {seconds:.1f} s ({appending:.1f} s in append, "
                f"{(args.entries - have) / appending:,.0f} entries/s)"
            )
        store.close()
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        print(
            f"file size: {size / 1e6:,.1f} MB ({size / max(args.entries, 1):.0f} bytes/entry)"
        )

        store = AuditStore(path)
        started = time.perf_counter()
        result = store.verify()
        seconds = time.perf_counter() - started
        print(
            f"audit verify: {result.count:,} entries in {seconds:.1f} s "
            f"({result.count / seconds:,.0f} entries/s), ok={result.ok}, {len(result.problems)} problems"
        )

        print("search (best of 5: the first page of 50 and the total):")
        sample = store.search(action="create", limit=1, offset=result.count // 20)[1][0]
        case = "/".join(sample.object_path.split("/")[:5])
        timed("actor=archivist1", lambda: store.search(actor="archivist1"))
        timed("action=appraisal. (prefix)", lambda: store.search(action="appraisal."))
        timed(f"obj={case} (subtree)", lambda: store.search(obj=case))
        timed("obj=<uid>", lambda: store.search(obj=sample.object_uid))
        timed(
            "one week (2021-03-01..07)",
            lambda: store.search(since=date(2021, 3, 1), until=date(2021, 3, 7)),
        )
        timed(
            "actor=handler3 action=edit in 2021-06",
            lambda: store.search(
                actor="handler3",
                action="edit",
                since=date(2021, 6, 1),
                until=date(2021, 6, 30),
            ),
        )
        timed(
            "text=补偿 (unindexed: a scan)", lambda: store.search(text="补偿"), repeat=1
        )
        timed("actors() + actions()", lambda: store.actors() + store.actions())
        store.close()


if __name__ == "__main__":
    main()
