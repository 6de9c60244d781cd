"""Several hosts on one archive in PostgreSQL: the search log and the hosts.

    .venv/bin/python benchmarks/two_hosts.py [--docs 100000] [--cases 200] [--users 8]
                                             [--seconds 30] [--fresh 40] [--parts log,hosts]

Starts a PostgreSQL cluster of its own (Debian's server, fsync on) and
prints:

``log`` (no Plone):
  ``--docs`` search documents (the demo corpus, as ``search.py`` makes
  them) published into the shared change log in commits of 1,000, the
  log's size per document, a new host's index filled from the log
  (documents/s, index size), then the search p50/p95 on that host's index
  as the inspector and a unit's handler, and a host following 500 small
  commits one by one.

``hosts`` (served archives):
  two instances with separate ``var/`` on one PostgreSQL database (A with
  ``--cases`` demo cases, B joined) and one ZEO instance with the same
  demo cases; ``--users`` users registering back to back for
  ``--seconds``: one ZEO host, one PostgreSQL host, two PostgreSQL hosts
  (users split between them); the load mix of ``load.py`` on one ZEO host
  and on two PostgreSQL hosts; search freshness (``--fresh`` cases
  registered on A, each searched on B until found: from A's answer to
  B's hit); the database's size per registration.
"""

from pathlib import Path

import argparse
import sys
import tempfile
import threading
import time


HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))  # the repository: tests.helpers


def percentile(values, q):
    values = sorted(values)
    return (
        values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]
        if values
        else float("nan")
    )


def mb(n):
    return f"{n / 1e6:.1f} MB"


def bench_log(cluster, docs_count, root):
    from search import analyse
    from search import make_documents
    from search import QUERIES
    from search import VIEWERS
    from xinfang_archive.cli.instance import libpq_dsn
    from xinfang_archive.cluster.database import COMMIT_LOCK
    from xinfang_archive.cluster.database import connect
    from xinfang_archive.cluster.database import ensure_schema
    from xinfang_archive.cluster.database import locked_transaction
    from xinfang_archive.search import changelog
    from xinfang_archive.search import querylang as ql
    from xinfang_archive.search.following import Follower
    from xinfang_archive.search.model import SearchRequest
    from xinfang_archive.search.store import IndexStore

    dsn = libpq_dsn(cluster.create_database("searchlog"))
    ensure_schema(dsn)
    print(f"making {docs_count} documents …", flush=True)
    documents, analysis = analyse(make_documents(docs_count))
    print(
        f"  analysed in {analysis:.1f} s ({docs_count / analysis:.0f} docs/s)",
        flush=True,
    )
    connection = connect(dsn)

    def commit(batch):
        # as a commit does, under the archive's commit lock (outside a ZODB commit: no objects here)
        with locked_transaction(dsn, COMMIT_LOCK) as cursor:
            changelog.publish(cursor, batch)

    started = time.perf_counter()
    for i in range(0, len(documents), 1000):
        commit({d.uid: d for d in documents[i : i + 1000]})
    published = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('xinfang_search_log')")
        log_size = cursor.fetchone()[0]
    print(
        f"published into the log: {docs_count / published:.0f} docs/s ({published:.1f} s); "
        f"log {mb(log_size)} = {log_size / docs_count:.0f} bytes/document",
        flush=True,
    )

    store = IndexStore(root / "new-host", "tantivy")
    follower = Follower(dsn, store)
    started = time.perf_counter()
    applied = follower.catch_up()
    filled = time.perf_counter() - started
    index_size = sum(
        p.stat().st_size for p in (store.base / "index").rglob("*") if p.is_file()
    )
    print(
        f"a new host fills its index from the log: {applied} documents in {filled:.1f} s = "
        f"{applied / filled:.0f} docs/s; index {mb(index_size)} = {index_size / applied:.0f} bytes/document",
        flush=True,
    )

    for viewer, principals in (("no filter", None), *VIEWERS.items()):
        times = []
        for _label, text, _zc, _plain in QUERIES:
            request = SearchRequest(
                query=ql.parse(text), limit=10, principals=principals
            )
            store.engine.search(request)
            for _ in range(5):
                began = time.perf_counter()
                store.engine.search(request)
                times.append(time.perf_counter() - began)
        print(
            f"search at {applied} documents on this host, {viewer}: p50 {percentile(times, 50) * 1000:.1f} ms, "
            f"p95 {percentile(times, 95) * 1000:.1f} ms ({len(times)} searches)",
            flush=True,
        )

    # following: small commits applied one by one, as a serving host does
    started = time.perf_counter()
    for n in range(500):
        doc = documents[n]
        commit({doc.uid: doc})
        follower.catch_up()
    each = (time.perf_counter() - started) / 500
    print(
        f"a host following 500 one-document commits: {each * 1000:.1f} ms per commit "
        "(publish + fetch + index commit)",
        flush=True,
    )
    connection.close()


def bench_hosts(cluster, cases, users, seconds, fresh, root):
    from tests.helpers.cli import clean_env
    from tests.helpers.cli import free_port

    import load
    import requests

    env = clean_env()
    address = cluster.create_database("archive")
    hosts = {}
    for name, storage in (("A", address), ("B", address), ("ZEO", "zeo")):
        var = root / name / "var"
        port = free_port()
        command = [
            load.CLI,
            "init",
            "--var",
            str(var),
            "--port",
            str(port),
            "--storage",
            storage,
        ]
        if name != "B":
            command += ["--demo-cases", str(cases)]
        started = time.perf_counter()
        import subprocess

        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        print(f"host {name} ready in {time.perf_counter() - started:.0f} s", flush=True)
        hosts[name] = (var, f"http://127.0.0.1:{port}/xinfang")
    logins = dict(
        line.split("\t")[:2]
        for line in (hosts["A"][0] / "demo-logins.tsv").read_text().splitlines()
    )
    zeo_logins = dict(
        line.split("\t")[:2]
        for line in (hosts["ZEO"][0] / "demo-logins.tsv").read_text().splitlines()
    )
    auth, zeo_auth = (
        ("registrar", logins["registrar"]),
        ("registrar", zeo_logins["registrar"]),
    )

    def size():
        return int(
            cluster.sql("archive", "SELECT pg_database_size(current_database())")
        )

    def registrations(sites, auth):
        counter = iter(range(1, 10**9))
        lock = threading.Lock()
        done, errors = [], []
        until = time.monotonic() + seconds

        def user(site):
            http = requests.Session()
            http.auth = auth
            while time.monotonic() < until:
                with lock:
                    n = next(counter)
                began = time.perf_counter()
                response = http.post(
                    f"{site}/++api++/cases",
                    json=load.case_json(n),
                    headers={"Accept": "application/json"},
                    timeout=300,
                )
                (done if response.status_code == 201 else errors).append(
                    time.perf_counter() - began
                )

        threads = [
            threading.Thread(target=user, args=(sites[i % len(sites)],))
            for i in range(users)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        return (
            len(done) / elapsed,
            percentile(done, 50),
            percentile(done, 95),
            len(errors),
            len(done),
        )

    def mix(sites, auth):
        listing = requests.get(
            f"{sites[0]}/++api++/cases/@search",
            auth=auth,
            timeout=120,
            params={"portal_type": "PetitionCase", "b_size": 200},
            headers={"Accept": "application/json"},
        ).json()
        paths = [
            item["@id"].replace("/++api++", "").split("/xinfang", 1)[1]
            for item in listing["items"]
        ]
        results = []
        threads = []
        for i, site in enumerate(sites):
            urls = [site + path for path in paths]
            share = users // len(sites) + (1 if i < users % len(sites) else 0)
            thread = threading.Thread(
                target=lambda s=site, u=urls, k=share: results.append(
                    load.run_load(s, auth, u, k, seconds, seed=k)
                )
            )
            threads.append(thread)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rate = sum(r[0] for r in results)
        errors = sum(len(r[2]) for r in results)
        pages = [t for r in results for t in r[1]["case page"]]
        return rate, percentile(pages, 50), errors

    zeo = load.serve(hosts["ZEO"][0], env, 1, hosts["ZEO"][1])
    try:
        rate, p50, p95, errors, n = registrations([hosts["ZEO"][1]], zeo_auth)
        print(
            f"registrations, {users} users, one ZEO host: {rate:.1f}/s (p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, {errors} errors)",
            flush=True,
        )
        rate, page, errors = mix([hosts["ZEO"][1]], zeo_auth)
        print(
            f"load mix, {users} users, one ZEO host: {rate:.1f} requests/s, case page p50 "
            f"{page * 1000:.0f} ms, {errors} errors",
            flush=True,
        )
    finally:
        zeo.terminate()
        zeo.wait(timeout=120)

    server_a = load.serve(hosts["A"][0], env, 1, hosts["A"][1])
    try:
        before = size()
        rate, p50, p95, errors, n = registrations([hosts["A"][1]], auth)
        grown = size() - before
        print(
            f"registrations, {users} users, one PostgreSQL host: {rate:.1f}/s (p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, {errors} errors); the database grew {grown / max(n, 1) / 1e3:.1f} kB "
            "per registration",
            flush=True,
        )
        server_b = load.serve(hosts["B"][0], env, 1, hosts["B"][1])
        try:
            sites = [hosts["A"][1], hosts["B"][1]]
            rate, p50, p95, errors, n = registrations(sites, auth)
            print(
                f"registrations, {users} users, two PostgreSQL hosts: {rate:.1f}/s (p50 {p50 * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, {errors} errors)",
                flush=True,
            )
            rate, page, errors = mix(sites, auth)
            print(
                f"load mix, {users} users, two PostgreSQL hosts: {rate:.1f} requests/s, case page p50 "
                f"{page * 1000:.0f} ms, {errors} errors",
                flush=True,
            )
            delays = freshness(hosts["A"][1], hosts["B"][1], auth, fresh)
            print(
                f"freshness, registered on A to found by B's search ({len(delays)} cases): "
                f"p50 {percentile(delays, 50) * 1000:.0f} ms, p95 {percentile(delays, 95) * 1000:.0f} ms, "
                f"max {max(delays) * 1000:.0f} ms",
                flush=True,
            )
        finally:
            server_b.terminate()
            server_b.wait(timeout=120)
    finally:
        server_a.terminate()
        server_a.wait(timeout=120)
    print(f"database: {mb(size())} ({cases} demo cases and the registrations above)")
    import re
    import subprocess

    for label, command in (
        ("every object published again (reindex, from the objects)", ["reindex"]),
        ("host B refilled from the log (reindex --local)", ["reindex", "--local"]),
    ):
        var = hosts["A" if command == ["reindex"] else "B"][0]
        started = time.perf_counter()
        result = subprocess.run(
            [load.CLI, *command, "--var", str(var)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - started
        count = int(re.search(r"(\d+) (?:objects|documents)", result.stdout).group(1))
        print(
            f"{label}: {count} in {seconds:.1f} s = {count / seconds:.0f}/s (command included)",
            flush=True,
        )


def freshness(site_a, site_b, auth, count):
    import requests

    http = requests.Session()
    http.auth = auth
    delays = []
    for n in range(count):
        token = f"新鲜度{n:03d}号{time.time_ns() % 100000:05d}"
        body = {
            "@type": "PetitionCase",
            "title": token,
            "channel": "letter",
            "received_date": time.strftime("%Y-%m-%d"),
            "petitioners": [
                {
                    "name": "王小明",
                    "id_number": "",
                    "phone": "",
                    "address": "",
                    "representative": False,
                }
            ],
            "people_count": 1,
            "category": "land",
            "grade": "ordinary",
            "summary": "新鲜度测试。",
            "request": "无。",
        }
        response = http.post(
            f"{site_a}/++api++/cases",
            json=body,
            headers={"Accept": "application/json"},
            timeout=120,
        )
        assert response.status_code == 201, response.text[:300]
        committed = time.perf_counter()
        while True:
            found = http.get(
                f"{site_b}/++api++/@archive-search",
                params={"q": token},
                headers={"Accept": "application/json"},
                timeout=60,
            ).json()
            if token in [item["title"] for item in found["items"]]:
                delays.append(time.perf_counter() - committed)
                break
            if time.perf_counter() - committed > 30:
                raise RuntimeError(f"{token} not found on B after 30 s")
            time.sleep(0.005)
    return delays


def main():
    from tests.helpers.postgres import Cluster

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--fresh", type=int, default=40)
    parser.add_argument("--parts", default="log,hosts")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="xf-two-hosts-"))
    cluster = Cluster(fsync=True).start()
    try:
        parts = args.parts.split(",")
        if "log" in parts:
            bench_log(cluster, args.docs, root)
        if "hosts" in parts:
            bench_hosts(cluster, args.cases, args.users, args.seconds, args.fresh, root)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
