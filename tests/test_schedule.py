"""Scheduled work: the units and crontab ``schedule`` writes, and a missed
nightly fixity run shown on the 档案管理 page."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from tests.helpers.cli import clean_env
from tests.helpers.cli import run

import configparser
import re
import shlex


CALENDAR = re.compile(r"^((Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?\*-\*-\* \d\d:\d\d:\d\d$")
CRON = re.compile(r"^(\d+) (\d+) \* \* (\*|[0-6]) (.+)$")


def parses(words):
    """The command line's own parser accepts the job's command."""
    from xinfang_archive.cli.main import build_parser

    args = build_parser().parse_args(words[1:])
    return args.func.__name__


def test_schedule_writes_systemd_units_and_a_crontab(tmp_path):
    var = tmp_path / "var"
    units = tmp_path / "units"
    result = run(
        "schedule",
        "--var",
        str(var),
        "--systemd",
        str(units),
        "--processes",
        "2",
        "--backup-to",
        str(tmp_path / "backups"),
        env=clean_env(),
    )
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in units.iterdir())
    jobs = ("fixity", "backup", "backup-full", "pack")
    assert names == sorted(
        ["xinfang-archive.service"]
        + [
            f"xinfang-archive-{job}.{kind}"
            for job in jobs
            for kind in ("service", "timer")
        ]
    )
    server = configparser.ConfigParser(interpolation=None)
    server.read(units / "xinfang-archive.service")
    command = shlex.split(server["Service"]["ExecStart"])
    assert (
        parses(command) == "cmd_serve"
        and command[command.index("--processes") + 1] == "2"
    )
    assert server["Service"]["Restart"] == "on-failure"
    commands = {}
    for job in jobs:
        timer = configparser.ConfigParser(interpolation=None)
        timer.read(units / f"xinfang-archive-{job}.timer")
        assert CALENDAR.match(timer["Timer"]["OnCalendar"]), timer["Timer"][
            "OnCalendar"
        ]
        assert timer["Timer"]["Persistent"] == "true"
        service = configparser.ConfigParser(interpolation=None)
        service.read(units / f"xinfang-archive-{job}.service")
        assert service["Service"]["Type"] == "oneshot"
        words = shlex.split(service["Service"]["ExecStart"])
        assert words[words.index("--var") + 1] == str(var)
        commands[job] = parses(words)
    assert commands == {
        "fixity": "cmd_fixity",
        "backup": "cmd_backup",
        "backup-full": "cmd_backup",
        "pack": "cmd_pack",
    }
    assert "systemctl enable --now" in result.stdout

    cron = run("schedule", "--var", str(var), env=clean_env())
    assert cron.returncode == 0, cron.stderr
    entries = [
        line for line in cron.stdout.splitlines() if line and not line.startswith("#")
    ]
    assert len(entries) == 4
    for entry in entries:
        match = CRON.match(entry)
        assert match, entry
        words = shlex.split(match.group(4).split(" >> ")[0])
        assert parses(words) in ("cmd_fixity", "cmd_backup", "cmd_pack")


def test_a_missed_nightly_fixity_run_shows_on_the_archive_office(manager):
    from xinfang_archive.archival.fixity import last_run
    from xinfang_archive.archival.fixity import record_run
    from xinfang_archive.archival.fixity import run_fixity
    from xinfang_archive.archival.fixity_status import fixity_summary

    record_run(manager, run_fixity(manager))
    assert fixity_summary(manager)["overdue"] is False
    later = datetime.now(UTC) + timedelta(hours=37)
    assert fixity_summary(manager, now=later)["overdue"] is True
    page = manager["archive-office"].restrictedTraverse("@@archive-office")()
    assert 'id="xf-fixity-last"' in page and "xf-fixity-overdue" not in page
    last_run(manager).started -= timedelta(
        days=2
    )  # the nightly job stopped two days ago
    page = manager["archive-office"].restrictedTraverse("@@archive-office")()
    assert 'id="xf-fixity-overdue"' in page and "计划任务" in page
