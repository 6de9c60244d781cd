"""Load on a served archive: K concurrent users against 1 and N processes.

    .venv/bin/python benchmarks/load.py [--var DIR] [--cases 1000] [--users 1,8,16]
                                        [--processes 1,2] [--seconds 30]

Makes (or reuses, with ``--var``) an instance with demo cases, then for each
process count serves it (``xinfang-archive serve --processes P``: a ZEO
server and P application processes) and runs K users at once, each sending
requests back to back for ``--seconds``: the mix of a working day (the
dashboard, a case page, the search page, a REST read, a REST search; basic
auth as the registrar) and a registration (REST POST) every 20 requests.
Prints requests/s, p50/p95/p99 per kind and the errors, and the throughput
of P processes against one.  The users run in this process (threads), on
the same cores as the server: the figures are what the machine serves with
its own clients included.
"""

from pathlib import Path

import argparse
import csv
import itertools
import os
import random
import requests
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time


CLI = str(Path(sys.executable).parent / "xinfang-archive")
KINDS = ("dashboard", "case page", "search page", "REST read", "REST search")
REGISTER_EVERY = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(var, cases, port):
    env = {**os.environ}
    for name in ("XINFANG_ADMIN_PASSWORD", "XINFANG_SEARCH_INDEX", "XINFANG_AUDIT_LOG"):
        env.pop(name, None)
    command = [
        CLI,
        "init",
        "--var",
        str(var),
        "--port",
        str(port),
        "--demo-cases",
        str(cases),
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    print(
        f"instance ready in {time.perf_counter() - started:.0f} s ({var})", flush=True
    )
    logins = dict(
        line.split("\t")[:2]
        for line in (var / "demo-logins.tsv").read_text().splitlines()
    )
    return env, ("registrar", logins["registrar"])


def wait_serving(url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def case_json(n):
    return {
        "@type": "PetitionCase",
        "title": f"负载测试登记 {n}",
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
        "summary": "负载测试：反映征地补偿款未发放。",
        "request": "要求发放补偿款。",
    }


class User(threading.Thread):
    def __init__(self, site, auth, case_urls, until, rng, counter, sequence):
        super().__init__(daemon=True)
        self.site, self.case_urls, self.until, self.rng, self.counter = (
            site,
            case_urls,
            until,
            rng,
            counter,
        )
        self.sequence = sequence  # shared by all users: a registration every 20 requests of all of them
        self.http = requests.Session()
        self.http.auth = auth
        self.times = {kind: [] for kind in (*KINDS, "registration")}
        self.errors = []

    def request(self, kind):
        api = f"{self.site}/++api++"
        if kind == "registration":
            return self.http.post(
                f"{api}/cases",
                json=case_json(next(self.counter)),
                headers={"Accept": "application/json"},
                timeout=300,
            ), 201
        if kind == "dashboard":
            return self.http.get(f"{self.site}/cases", timeout=300), 200
        if kind == "case page":
            return self.http.get(self.rng.choice(self.case_urls), timeout=300), 200
        if kind == "search page":
            term = self.rng.choice(("征地", "补偿", "拆迁", "工资", "噪音"))
            return self.http.get(
                f"{self.site}/@@archive-search",
                params={"SearchableText": term},
                timeout=300,
            ), 200
        if kind == "REST read":
            url = self.rng.choice(self.case_urls).replace(self.site, api)
            return self.http.get(
                url, headers={"Accept": "application/json"}, timeout=300
            ), 200
        return self.http.get(
            f"{api}/cases/@search",
            params={"portal_type": "PetitionCase", "b_size": 25},
            headers={"Accept": "application/json"},
            timeout=300,
        ), 200

    def run(self):
        while time.monotonic() < self.until:
            n = next(self.sequence)
            kind = "registration" if n % REGISTER_EVERY == 0 else KINDS[n % len(KINDS)]
            began = time.perf_counter()
            try:
                response, expected = self.request(kind)
                if response.status_code != expected:
                    self.errors.append(f"{kind}: HTTP {response.status_code}")
                    continue
            except requests.RequestException as error:
                self.errors.append(f"{kind}: {error}")
                continue
            self.times[kind].append(time.perf_counter() - began)


def listed_case_urls(site, auth, size=200):
    """The pages of the first ``size`` cases (the users' case pages and REST reads)."""
    listing = requests.get(
        f"{site}/++api++/cases/@search",
        auth=auth,
        timeout=120,
        params={"portal_type": "PetitionCase", "b_size": size},
        headers={"Accept": "application/json"},
    ).json()
    return [item["@id"].replace("/++api++", "") for item in listing["items"]]


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def run_load(site, auth, case_urls, users, seconds, seed):
    counter, sequence = itertools.count(1), itertools.count(1)
    until = time.monotonic() + seconds
    crowd = [
        User(site, auth, case_urls, until, random.Random(seed + i), counter, sequence)
        for i in range(users)
    ]
    started = time.perf_counter()
    for user in crowd:
        user.start()
    for user in crowd:
        user.join()
    elapsed = time.perf_counter() - started
    times = {
        kind: [t for user in crowd for t in user.times[kind]]
        for kind in (*KINDS, "registration")
    }
    errors = [error for user in crowd for error in user.errors]
    total = sum(len(values) for values in times.values())
    return total / elapsed, times, errors


def serve(var, env, processes, site):
    command = [CLI, "serve", "--var", str(var), "--processes", str(processes)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started = time.perf_counter()
    wait_serving(site)
    # every process answers (gunicorn's workers start one by one)
    for _ in range(4 * processes):
        requests.get(site, timeout=60)
    print(
        f"  serving with {processes} process(es) after {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--var",
        help="instance directory (kept and reused; default: a new temporary one)",
    )
    parser.add_argument(
        "--cases", type=int, default=1000, help="demo cases of a new instance"
    )
    parser.add_argument("--users", default="1,8,16")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--csv", help="also write the figures to this CSV file")
    args = parser.parse_args()
    var = Path(args.var or tempfile.mkdtemp(prefix="xf-load-")) / "var"
    port = free_port()
    env, auth = prepare(var, args.cases, port)
    site = f"http://127.0.0.1:{port}/xinfang"
    rows = []
    rates = {}
    for processes in [int(p) for p in args.processes.split(",")]:
        server = serve(var, env, processes, site)
        try:
            case_urls = listed_case_urls(site, auth)
            for users in [int(u) for u in args.users.split(",")]:
                rate, times, errors = run_load(
                    site, auth, case_urls, users, args.seconds, seed=users
                )
                rates[(processes, users)] = rate
                print(
                    f"{processes} process(es), {users:2d} users: {rate:6.1f} requests/s, "
                    f"{len(errors)} errors",
                    flush=True,
                )
                for kind, values in times.items():
                    p50, p95, p99 = (percentile(values, q) * 1000 for q in (50, 95, 99))
                    print(
                        f"    {kind:12s} n={len(values):5d}  p50 {p50:7.0f} ms  p95 {p95:7.0f} ms  "
                        f"p99 {p99:7.0f} ms"
                    )
                    if values:
                        rows.append(
                            [
                                processes,
                                users,
                                kind,
                                len(values),
                                round(p50),
                                round(p95),
                                round(p99),
                                round(rate, 1),
                                len(errors),
                            ]
                        )
                for error in sorted(set(errors))[:5]:
                    print(f"    error: {error}")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=120)
    counts = sorted({p for p, _u in rates})
    if len(counts) > 1:
        for users in sorted({u for _p, u in rates}):
            base = rates.get((counts[0], users))
            for processes in counts[1:]:
                if base and (processes, users) in rates:
                    print(
                        f"{users:2d} users: {processes} processes serve {rates[(processes, users)] / base:.2f}× "
                        f"what {counts[0]} serves"
                    )
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(
                [
                    "processes",
                    "users",
                    "kind",
                    "n",
                    "p50_ms",
                    "p95_ms",
                    "p99_ms",
                    "requests_per_s",
                    "errors",
                ]
            )
            writer.writerows(rows)


if __name__ == "__main__":
    main()
