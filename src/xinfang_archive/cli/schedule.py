"""The scheduled work of a serving archive, as systemd units or a crontab.

Every job is a command of the command line, which runs while the site
serves (a ZEO client): nightly fixity and incremental backup, a weekly full
backup and pack.  ``xinfang-archive schedule`` writes systemd service and
timer units (and the service that serves the archive, restarted on
failure), or prints a crontab.  A fixity run that found problems, or none
completed for longer than a night, shows on the 档案管理 page.  Fixity runs
once at a time (``cli.jobs``): on an archive in PostgreSQL every host may
schedule it, and a run that finds another under way exits with 75.
"""

from pathlib import Path
from xinfang_archive.cli.common import instance_arguments
from xinfang_archive.cli.instance import Instance

import getpass
import shlex
import sys


# (name, description, systemd OnCalendar, cron schedule, command arguments)
JOBS = (
    (
        "fixity",
        "nightly fixity check of every filed file and record",
        "*-*-* 02:00:00",
        "0 2 * * *",
        ("fixity",),
    ),
    (
        "backup",
        "nightly incremental backup",
        "*-*-* 03:00:00",
        "0 3 * * *",
        ("backup",),
    ),
    (
        "backup-full",
        "weekly full backup",
        "Sun *-*-* 03:30:00",
        "30 3 * * 0",
        ("backup", "--full"),
    ),
    (
        "pack",
        "weekly pack (history older than 30 days)",
        "Sat *-*-* 04:30:00",
        "30 4 * * 6",
        ("pack", "--days", "30"),
    ),
)

SERVICE = """\
[Unit]
Description=信访档案 xinfang-archive {description}
After=network.target{requires}

[Service]
Type={type}
User={user}
WorkingDirectory={workdir}
ExecStart={command}
{extra}
[Install]
WantedBy={wanted_by}
"""

TIMER = """\
[Unit]
Description=信访档案 xinfang-archive {description} (timer)

[Timer]
OnCalendar={calendar}
Persistent=true
RandomizedDelaySec=300

[Install]
WantedBy=timers.target
"""


def jobs(instance):
    """The jobs of ``instance``: an archive in PostgreSQL is backed up with
    PostgreSQL's own tools, not ``backup``."""
    if instance.storage == "postgresql":
        return [job for job in JOBS if job[-1][0] != "backup"]
    return list(JOBS)


def executable():
    return str(Path(sys.executable).parent / "xinfang-archive")


def command_line(instance, arguments, backup_to=None):
    words = [executable(), *arguments, "--var", str(instance.var)]
    if backup_to and arguments[0] == "backup":
        words += ["--to", str(backup_to)]
    return shlex.join(words)


def systemd_units(instance, processes=1, backup_to=None, user=None):
    """{file name: text} of the units: the server and each job's service and timer."""
    user = user or getpass.getuser()
    units = {
        "xinfang-archive.service": SERVICE.format(
            description=f"server ({processes} process{'es' if processes > 1 else ''})",
            requires="",
            type="simple",
            user=user,
            workdir=instance.var.parent,
            command=command_line(instance, ("serve", "--processes", str(processes))),
            extra="Restart=on-failure\nRestartSec=5\nKillSignal=SIGINT\nTimeoutStopSec=120\n",
            wanted_by="multi-user.target",
        ),
    }
    for name, description, calendar, _cron, arguments in jobs(instance):
        units[f"xinfang-archive-{name}.service"] = SERVICE.format(
            description=description,
            requires="\nWants=xinfang-archive.service",
            type="oneshot",
            user=user,
            workdir=instance.var.parent,
            command=command_line(instance, arguments, backup_to),
            # 75: the job runs already (on this or, in PostgreSQL, another host): not a failure
            extra="SuccessExitStatus=75\n" if name == "fixity" else "",
            wanted_by="multi-user.target",
        )
        units[f"xinfang-archive-{name}.timer"] = TIMER.format(
            description=description, calendar=calendar
        )
    return units


def crontab(instance, backup_to=None):
    log = instance.var / "log" / "scheduled.log"
    lines = [
        "# 信访档案 xinfang-archive: scheduled work (install with: crontab -e, or crontab FILE)"
    ]
    for _name, description, _calendar, cron, arguments in jobs(instance):
        lines.append(f"# {description}")
        lines.append(
            f"{cron} {command_line(instance, arguments, backup_to)} >> {shlex.quote(str(log))} 2>&1"
        )
    return "\n".join(lines) + "\n"


def cmd_schedule(args):
    instance = Instance(args.var)
    if not args.systemd:
        print(crontab(instance, backup_to=args.backup_to), end="")
        return 0
    target = Path(args.systemd)
    target.mkdir(parents=True, exist_ok=True)
    units = systemd_units(instance, processes=args.processes, backup_to=args.backup_to)
    for name, text in units.items():
        (target / name).write_text(text, encoding="utf-8")
    timers = " ".join(name for name in units if name.endswith(".timer"))
    print(f"{len(units)} systemd units written to {target}. Install them (as root):")
    print(
        f"  cp {target}/xinfang-archive* /etc/systemd/system/ && systemctl daemon-reload"
    )
    print(f"  systemctl enable --now xinfang-archive.service {timers}")
    return 0


def add_commands(commands):
    schedule = commands.add_parser(
        "schedule",
        help="the scheduled work (nightly fixity and backup, weekly full backup and pack) for systemd or cron",
        description="Print a crontab of the scheduled work, or with --systemd write systemd units: the "
        "server (restarted on failure) and a service and timer per job. Every job runs while the "
        "site serves; a missed fixity run shows on the 档案管理 page.",
    )
    instance_arguments(schedule)
    schedule.add_argument(
        "--systemd", metavar="DIR", help="write systemd units into DIR instead"
    )
    schedule.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="processes of the server unit",
    )
    schedule.add_argument(
        "--backup-to", metavar="DIR", help="backup directory of the backup jobs"
    )
    schedule.set_defaults(func=cmd_schedule)
