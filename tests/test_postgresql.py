"""An archive on RelStorage and PostgreSQL, served by two hosts.

The tests start a PostgreSQL cluster of their own (Debian's server, see
``tests.helpers.postgres``). Two instances with separate ``var/`` directories
stand for two hosts of one archive: what one registers, the other serves.
"""

from tests.helpers.cases import case_json
from tests.helpers.cli import clean_env
from tests.helpers.cli import CLI
from tests.helpers.cli import free_port
from tests.helpers.cli import run
from tests.helpers.cli import wait_until_serving

import os
import pytest
import requests
import stat
import subprocess
import threading
import time


def serve(var, env):
    return subprocess.Popen(
        [CLI, "serve", "--var", str(var)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def stop(server):
    server.terminate()
    return server.communicate(timeout=120)[0]


class Hosts:
    """Two instances with separate ``var/`` on one database: two hosts."""

    def __init__(self, postgresql, root):
        self.database = "archive"
        self.address = postgresql.create_database(self.database)
        self.env = clean_env()
        self.a, self.b = root / "a", root / "b"
        self.port_a, self.port_b = free_port(), free_port()
        self.made = run(
            "init",
            "--var",
            str(self.a),
            "--port",
            str(self.port_a),
            "--storage",
            self.address,
            "--demo-cases",
            "3",
            env=self.env,
        )
        self.joined = run(
            "init",
            "--var",
            str(self.b),
            "--port",
            str(self.port_b),
            "--storage",
            self.address,
            env=self.env,
        )
        self.site_a, self.site_b = (
            f"http://127.0.0.1:{port}/xinfang" for port in (self.port_a, self.port_b)
        )

    @property
    def auth(self):
        return ("admin", (self.a / "admin-password").read_text().strip())


@pytest.fixture(scope="module")
def hosts(postgresql, tmp_path_factory):
    return Hosts(postgresql, tmp_path_factory.mktemp("hosts"))


def test_two_hosts_serve_one_archive_on_postgresql(postgresql, hosts):
    env = hosts.env
    host_a, host_b = hosts.a, hosts.b
    made, joined = hosts.made, hosts.joined
    assert made.returncode == 0, made.stderr[-3000:]
    assert "已创建" in made.stdout
    etc = host_a / "instance" / "etc"
    assert (
        "<relstorage>" in (etc / "zope.conf").read_text()
        and not (etc / "zeo.conf").exists()
    )
    for private in (etc / "zope.conf", etc / "postgresql.dsn"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600, (
            private
        )  # the address may hold a password
    assert not (host_a / "filestorage").exists()  # no empty FileStorage beside it
    assert stat.S_IMODE((host_a / "blobcache").stat().st_mode) == 0o700
    assert int(postgresql.sql("archive", "SELECT count(*) FROM object_state")) > 1000
    password = hosts.auth[1]

    # a second host joins: the site is there; the admin's password is host A's
    assert joined.returncode == 0, joined.stderr[-3000:]
    assert "已就绪" in joined.stdout and "管理员已存在" in joined.stdout
    assert not (
        host_b / "admin-password"
    ).exists()  # no password that is not the admin's

    server_a, server_b = serve(host_a, env), serve(host_b, env)
    try:
        site_a, site_b = hosts.site_a, hosts.site_b
        assert wait_until_serving(site_a, seconds=120) and wait_until_serving(
            site_b, seconds=120
        )
        http = requests.Session()
        http.auth = ("admin", password)
        http.headers["Accept"] = "application/json"
        created = http.post(
            f"{site_a}/++api++/cases",
            json=case_json(title="两台主机共用的案件"),
            timeout=60,
        )
        assert created.status_code == 201, created.text[:500]
        number = created.json()["registration_number"]
        # host B's full-text index follows the shared log: the archive search
        # and Plone's SearchableText find the case registered on A
        assert searchable(http, site_b, "两台主机共用"), (
            "not found on B within the freshness bound"
        )
        texts = http.get(
            f"{site_b}/++api++/@search",
            params={"SearchableText": "两台主机共用"},
            timeout=60,
        ).json()
        assert [item["title"] for item in texts["items"]] == ["两台主机共用的案件"]
        # host B serves what host A committed: the record, its number, its catalog entry
        found = http.get(
            f"{site_b}/++api++/cases/@search",
            params={
                "portal_type": "PetitionCase",
                "registration_number": number,
                "metadata_fields": "registration_number",
            },
            timeout=60,
        ).json()
        assert [item["registration_number"] for item in found["items"]] == [number]
        case_b = http.get(
            found["items"][0]["@id"].replace(site_a, site_b), timeout=60
        ).json()
        assert case_b["title"] == "两台主机共用的案件"
        # a registration on B takes the next number: one counter for both hosts
        second = http.post(
            f"{site_b}/++api++/cases",
            json=case_json(title="另一台主机登记"),
            timeout=60,
        )
        assert second.status_code == 201, second.text[:500]
        assert second.json()["registration_number"] > number
        total = lambda site: http.get(
            f"{site}/++api++/cases/@search",
            params={"portal_type": "PetitionCase"},
            timeout=60,
        ).json()["items_total"]
        assert total(site_a) == total(site_b) == 3 + 2
        assert searchable(http, site_a, "另一台主机登记")
        # a change on B replaces the document on A
        case_url = found["items"][0]["@id"].replace(site_a, site_b)
        changed = http.patch(case_url, json={"title": "改过标题的案件"}, timeout=60)
        assert changed.status_code == 204, changed.text[:500]
        assert searchable(http, site_a, "改过标题") and not searchable(
            http, site_a, "两台主机共用", seconds=0
        )
        # the two registrations share a petitioner: the early-warning rules raised a
        # warning in the commit of the second (its documents in the log like the cases')
        warnings = http.get(
            f"{site_b}/++api++/@warnings",
            params={"rule": "repeat-petitioner-30"},
            timeout=60,
        ).json()
        assert warnings["items_total"] >= 1, warnings
        # the search settings say how far this host's index is from the shared log
        panel = http.get(
            f"{site_b}/@@xinfang-search-settings",
            headers={"Accept-Language": "zh-CN", "Accept": "text/html"},
            timeout=60,
        )
        assert (
            "各主机共用的检索日志" in panel.text
            and "本机尚有 0 项变更未应用" in panel.text
        ), panel.text[:3000]
    finally:
        output_a, output_b = stop(server_a), stop(server_b)
    assert "database: PostgreSQL" in output_a, output_a[-2000:]
    assert "Traceback" not in output_a + output_b, (output_a + output_b)[-3000:]
    # every committed document is in the log, and both hosts hold exactly the log
    for host in (host_a, host_b):
        verified = run("verify-index", "--var", str(host), env=env)
        assert verified.returncode == 0, (
            verified.stdout[-3000:] + verified.stderr[-3000:]
        )
        assert "shared log and this host's index are up to date" in verified.stdout
    # one audit chain: both hosts' registrations in it, the same head seen from each
    heads = []
    for host in (host_a, host_b):
        audited = run("audit", "verify", "--var", str(host), env=env)
        assert audited.returncode == 0 and "the chain is intact" in audited.stdout, (
            audited.stdout + audited.stderr
        )
        heads.append(audited.stdout.split(" head ")[1].split()[0])
    assert heads[0] == heads[1]
    assert (
        not (host_a / "audit").exists() and not (host_b / "audit").exists()
    )  # no trail of a host's own
    titles = postgresql.sql(
        "archive", "SELECT object_title FROM xinfang_audit WHERE action = 'create'"
    )
    assert "两台主机共用的案件" in titles and "另一台主机登记" in titles


def searchable(http, site, words, seconds=10, title=None):
    """Whether the archive search of ``site`` finds ``words`` (an item
    titled ``title``, if given) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = http.get(
            f"{site}/++api++/@archive-search",
            params={"q": words, "page_size": 100},
            timeout=60,
        ).json()
        if found["items_total"] and (
            title is None or title in [item["title"] for item in found["items"]]
        ):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def test_a_postgresql_address_becomes_libpq_options():
    """RelStorage adds options of its own to the address, which only libpq's
    key='value' form allows; user, password and options are unquoted."""
    from xinfang_archive.cli.instance import libpq_dsn

    assert libpq_dsn("postgresql://postgres@127.0.0.1:5432/archive") == (
        "dbname='archive' user='postgres' host='127.0.0.1' port='5432'"
    )
    assert libpq_dsn(
        "postgresql://ar%40chive:p'w\\@db.example/records?sslmode=require"
    ) == (
        "dbname='records' user='ar@chive' password='p\\'w\\\\' host='db.example' sslmode='require'"
    )


def test_a_storage_that_is_neither_zeo_file_nor_postgresql_is_refused(tmp_path):
    made = run(
        "init",
        "--var",
        str(tmp_path / "var"),
        "--storage",
        "mysql://x/y",
        env=clean_env(),
    )
    assert made.returncode == 2
    assert "choose zeo, file or a PostgreSQL address" in made.stderr
    assert not (tmp_path / "var").exists()


def test_an_archive_in_postgresql_schedules_no_backup_command(tmp_path):
    """Its backups are PostgreSQL's (pg_dump, base backups): the generated
    schedule keeps fixity and pack and leaves ``backup`` out."""
    from xinfang_archive.cli.instance import Instance
    from xinfang_archive.cli.schedule import crontab
    from xinfang_archive.cli.schedule import systemd_units

    instance = Instance(tmp_path / "var")
    instance.write_config(storage="postgresql://postgres@127.0.0.1:5432/archive")
    assert instance.storage == "postgresql"
    table = crontab(instance)
    assert " fixity " in table and " pack " in table and " backup " not in table
    assert not [name for name in systemd_units(instance) if "backup" in name]
    # every host may schedule fixity: a run finding another under way ends with 75, not a failure
    assert (
        "SuccessExitStatus=75"
        in systemd_units(instance)["xinfang-archive-fixity.service"]
    )
    zeo = Instance(tmp_path / "zeo")
    zeo.write_config()
    assert " backup " in crontab(zeo)


HITS = """
import sys
from xinfang_archive.publicquery.pglimit import PostgresRateLimiter

limiter = PostgresRateLimiter(sys.argv[1], global_limit=int(sys.argv[3]))
print(sum(limiter.hit(f"{sys.argv[2]}.{n % 3}" if sys.argv[2] != "one" else "203.0.113.7") is None
          for n in range(8)))
"""


def test_the_result_querys_limits_hold_across_hosts(postgresql):
    """Two hosts count in the archive's database: one client gets its 10
    attempts once, not once per host, and the global cap holds for both."""
    from xinfang_archive.cli.instance import libpq_dsn
    from xinfang_archive.cluster.database import ensure_schema
    from xinfang_archive.publicquery.pglimit import PostgresRateLimiter
    from xinfang_archive.publicquery.ratelimit import PER_CLIENT

    import sys

    dsn = libpq_dsn(postgresql.create_database("limits"))
    ensure_schema(dsn)

    def together(client, global_limit):
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", HITS, dsn, client, str(global_limit)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        return sum(int(process.communicate(timeout=60)[0]) for process in processes)

    assert together("one", 300) == PER_CLIENT  # 16 attempts, 10 allowed
    limiter = PostgresRateLimiter(dsn)
    wait = limiter.hit("203.0.113.7")
    assert (
        wait is not None and 0 < wait <= 3600
    )  # and refused after, told how long to wait
    limiter.reset()
    assert together("198.51.100", 5) == 5  # six addresses, one global cap
    # expired attempts are deleted on the way; refused ones are not counted
    clock = [1_000_000.0]
    timed = PostgresRateLimiter(
        dsn, per_client=2, client_window=60, global_window=60, clock=lambda: clock[0]
    )
    timed.reset()
    assert [timed.hit("192.0.2.1") for _ in range(3)] == [None, None, 60]
    clock[0] += 61
    assert timed.hit("192.0.2.1") is None
    assert int(postgresql.sql("limits", "SELECT count(*) FROM xinfang_ratelimit")) == 1


HOLD = """
import sys, time
from xinfang_archive.cluster.jobs import job_lock

with job_lock(sys.argv[1], "fixity"):
    print("held", flush=True)
    time.sleep(600)
"""


def test_fixity_runs_once_at_a_time_on_every_host(postgresql, tmp_path):
    """A fixity run holds a lock in the archive's database while it runs: a
    second run on any host says who holds it and does not run; a holder
    killed frees it. On one machine (ZEO) the lock is a file lock."""
    from xinfang_archive.cli.instance import Instance
    from xinfang_archive.cli.instance import libpq_dsn
    from xinfang_archive.cli.jobs import exclusive
    from xinfang_archive.cluster.jobs import job_lock

    import socket
    import sys

    address = postgresql.create_database("jobs")
    instance = Instance(tmp_path / "pg")
    instance.write_config(storage=address)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, libpq_dsn(address)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        second = run("fixity", "--var", str(instance.var), env=clean_env())
        assert second.returncode == 75, second.stdout + second.stderr
        assert "固定性检查正在别处运行" in second.stderr
        assert f"fixity {socket.gethostname()} pid {holder.pid}" in second.stderr
    finally:
        holder.kill()  # as by kill -9: PostgreSQL ends its session and frees the lock
        holder.wait(timeout=60)
    deadline = time.monotonic() + 30
    while True:
        try:
            with job_lock(libpq_dsn(address), "fixity"):
                break
        except Exception:
            assert time.monotonic() < deadline, "the killed holder's lock was not freed"
            time.sleep(0.2)

    zeo = Instance(tmp_path / "zeo")
    zeo.write_config()
    with exclusive(zeo, "fixity"):
        second = run("fixity", "--var", str(zeo.var), env=clean_env())
    assert second.returncode == 75 and f"pid {os.getpid()}" in second.stderr, (
        second.stderr
    )


FACTS = """
import hashlib, json, sys
from plone.namedfile.interfaces import INamedBlobFile
from xinfang_archive.cli.app import zope_app
from xinfang_archive.cli.instance import Instance

with zope_app(Instance(sys.argv[1])) as app:
    site = app["xinfang"]
    facts = {"types": {}, "codes": {}, "blobs": {}}
    for brain in site.portal_catalog.unrestrictedSearchResults(path="/".join(site.getPhysicalPath())):
        obj = brain._unrestrictedGetObject()
        path = brain.getPath()
        facts["types"][brain.portal_type] = facts["types"].get(brain.portal_type, 0) + 1
        if getattr(obj, "archival_code", None):
            facts["codes"][path] = obj.archival_code
        for name, value in sorted(vars(obj).items()):
            if INamedBlobFile.providedBy(value):
                facts["blobs"][f"{path}/{name}"] = hashlib.sha256(value.data).hexdigest()
    print(json.dumps(facts))
"""


def facts(var):
    import json
    import sys

    result = subprocess.run(
        [sys.executable, "-c", FACTS, str(var)],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_archive_migrates_from_its_filestorage_into_postgresql(postgresql, tmp_path):
    """Records, blobs (SHA-256), archival codes, fixity and the audit chain
    are the same after; the search follows the shared log; the old files
    are kept; nothing is migrated twice or into a database that holds data."""
    env = clean_env()
    var = tmp_path / "var"
    made = run("init", "--var", str(var), "--demo-cases", "15", env=env)
    assert made.returncode == 0, made.stderr[-3000:]
    assert run("fixity", "--var", str(var), env=env).returncode == 0
    before = facts(var)
    assert (
        before["codes"] and before["blobs"] and before["types"]["PetitionCase"] >= 15
    ), before["types"]
    audit_before = run("audit", "verify", "--var", str(var), env=env)
    head = audit_before.stdout.split(" head ")[1].split()[0]

    address = postgresql.create_database("migrated")
    migrated = run("migrate", "--var", str(var), "--to", address, env=env)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    assert "迁移完成" in migrated.stdout
    assert {p.name.split(".migrated-")[0] for p in var.glob("*.migrated-*")} == {
        "filestorage",
        "blobstorage",
        "audit",
    }
    assert (
        not (var / "filestorage").exists()
        and (var / "instance" / "etc" / "postgresql.dsn").exists()
    )

    for cached in (var / "blobcache").rglob(
        "*.blob"
    ):  # every blob is read from the database below
        cached.unlink()
    assert facts(var) == before
    fixity = run("fixity", "--var", str(var), env=env)
    assert fixity.returncode == 0 and " 0 changed, 0 missing" in fixity.stdout, (
        fixity.stdout + fixity.stderr
    )
    audit_after = run("audit", "verify", "--var", str(var), env=env)
    assert audit_after.returncode == 0 and "the chain is intact" in audit_after.stdout
    # the copied entries are the original ones (the chain goes on from the old head)
    seq, digest = head.split(":")
    assert (
        postgresql.sql("migrated", f"SELECT hash FROM xinfang_audit WHERE seq = {seq}")
        == digest
    )
    index = run("verify-index", "--var", str(var), env=env)
    assert index.returncode == 0 and "up to date" in index.stdout, (
        index.stdout + index.stderr
    )

    again = run("migrate", "--var", str(var), "--to", address, env=env)
    assert again.returncode == 2 and "already" in again.stderr
    other = tmp_path / "other"
    assert run("init", "--var", str(other), env=env).returncode == 0
    into_full = run("migrate", "--var", str(other), "--to", address, env=env)
    assert into_full.returncode == 2 and "目标数据库已有数据" in into_full.stderr
    assert (other / "filestorage" / "Data.fs").exists()  # untouched


class Reader(threading.Thread):
    """A user reading one host: the search page, the archive search, REST."""

    def __init__(self, site, auth):
        super().__init__(daemon=True)
        self.site, self.auth = site, auth
        self.stopped = threading.Event()
        self.requests, self.errors = 0, []

    def run(self):
        http = requests.Session()
        http.auth = self.auth
        urls = (
            f"{self.site}/@@archive-search?SearchableText=%E7%99%BB%E8%AE%B0",
            f"{self.site}/++api++/@archive-search?q=%E7%99%BB%E8%AE%B0",
            f"{self.site}/++api++/cases/@search?portal_type=PetitionCase",
        )
        while not self.stopped.is_set():
            url = urls[self.requests % len(urls)]
            self.requests += 1
            try:
                response = http.get(
                    url,
                    headers={"Accept": "application/json"} if "++api++" in url else {},
                    timeout=60,
                )
            except requests.RequestException as error:
                self.errors.append((url, repr(error)))
                continue
            if response.status_code != 200:
                self.errors.append((url, response.status_code, response.text[:300]))

    def stop(self):
        self.stopped.set()
        self.join(timeout=120)


class Writer(threading.Thread):
    """Registrations on one host, one after the other, until stopped."""

    def __init__(self, site, auth):
        super().__init__(daemon=True)
        self.site, self.auth = site, auth
        self.stopped = threading.Event()
        self.acknowledged, self.failed = [], 0

    def run(self):
        http = requests.Session()
        http.auth = self.auth
        n = 0
        while not self.stopped.is_set():
            n += 1
            title = f"断电前登记{n:04d}"
            try:
                response = http.post(
                    f"{self.site}/++api++/cases",
                    json=case_json(title=title),
                    headers={"Accept": "application/json"},
                    timeout=60,
                )
            except requests.RequestException:
                self.failed += 1  # the host died under it: not acknowledged
                time.sleep(0.05)
                continue
            if response.status_code == 201:
                self.acknowledged.append(title)


def test_a_host_killed_while_writing_loses_nothing_and_catches_up(postgresql, hosts):
    """Host A takes registrations and is killed with -9; host B serves
    throughout. Every registration A acknowledged is on B and found by its
    search; nothing is half-written (the search log equals the catalog, one
    audit entry per case, the chain intact); A restarts and finds what B
    registered meanwhile."""
    env, host_a, host_b, auth = hosts.env, hosts.a, hosts.b, hosts.auth
    site_a, site_b = hosts.site_a, hosts.site_b
    server_a, server_b = serve(host_a, env), serve(host_b, env)
    try:
        assert wait_until_serving(site_a, seconds=120) and wait_until_serving(
            site_b, seconds=120
        )
        reader = Reader(site_b, auth)
        writer = Writer(site_a, auth)
        reader.start()
        writer.start()
        deadline = time.monotonic() + 120
        while len(writer.acknowledged) < 12 and time.monotonic() < deadline:
            time.sleep(0.05)
        server_a.kill()  # -9, in the middle of whatever it was doing
        server_a.communicate(timeout=60)
        time.sleep(3)  # B goes on serving
        writer.stopped.set()
        writer.join(timeout=120)
        acknowledged = list(writer.acknowledged)
        assert len(acknowledged) >= 12
        http = requests.Session()
        http.auth = auth
        meanwhile = http.post(
            f"{site_b}/++api++/cases",
            json=case_json(title="主机A停机期间登记"),
            headers={"Accept": "application/json"},
            timeout=60,
        )
        assert meanwhile.status_code == 201
        time.sleep(1)
        reader.stop()
        assert reader.requests > 20 and not reader.errors, reader.errors[:5]
        for title in acknowledged:
            assert searchable(http, site_b, title, seconds=5, title=title), title
        server_a = serve(host_a, env)  # A restarts and catches up with what B wrote
        assert wait_until_serving(site_a, seconds=120)
        assert searchable(http, site_a, "主机A停机期间登记")
    finally:
        for server in (server_a, server_b):
            if server.poll() is None:
                stop(server)
    # nothing half-written: the log holds exactly the catalog, each case one audit entry
    verified = run("verify-index", "--var", str(host_b), "--show", "5", env=env)
    assert verified.returncode == 0, verified.stdout[-3000:]
    audited = run("audit", "verify", "--var", str(host_b), env=env)
    assert audited.returncode == 0 and "the chain is intact" in audited.stdout
    cases = int(
        postgresql.sql(
            hosts.database,
            "SELECT count(*) FROM xinfang_search_log "
            'WHERE doc LIKE \'%"portal_type": "PetitionCase"%\'',
        )
    )
    created = int(
        postgresql.sql(
            hosts.database,
            "SELECT count(*) FROM xinfang_audit WHERE action = 'create' "
            "AND details LIKE '%PetitionCase%'",
        )
    )
    assert cases == created >= len(acknowledged) + 1
