"""Demo staff: one user per bureau role, a handler in every unit and a head
of every unit that has units below it, so that need-to-know by unit can be
tried at once.  Passwords are random (never a fixed default); the caller
keeps them where only the instance's owner reads them."""

from plone import api
from xinfang_archive.demo.people import random_name
from xinfang_archive.privacy.units import ensure_unit_groups
from xinfang_archive.privacy.units import heads_group
from xinfang_archive.privacy.units import unit_group
from xinfang_archive.privacy.units import unit_parents
from xinfang_archive.vocabularies.registry import unit_paths

import random
import secrets


BUREAU = (
    ("registrar", "登记员", ("registrars",)),
    ("organizer", "听证组织者", ("hearing_organizers",)),
    ("archivist", "档案员", ("archivists",)),
    # a second archivist: an appraisal is approved by another than who proposed it
    ("archivist2", "档案员（复核）", ("archivists",)),
    ("inspector", "督查员", ("inspectors",)),
)


# The logins ``init`` shows once, one per role to try (all are in the logins file).
FIRST_LOGINS = (
    "registrar",
    "handler-cgz",  # a township (城关镇)
    "handler-qsx",  # another township (青山乡)
    "handler-jsj",  # a department (住房和城乡建设局)
    "organizer",
    "archivist",
    "archivist2",
    "inspector",
)


def demo_staff_plan():
    """``[(user id, what they are, groups)]`` for the units list of the site."""
    plan = list(BUREAU)
    parents = unit_parents()
    paths = unit_paths()
    has_children = {parent for parent in parents.values() if parent}
    for code in parents:
        slug = code.lower()
        plan.append(
            (
                f"handler-{slug}",
                f"承办人（{paths[code]}）",
                ("case_handlers", unit_group(code)),
            )
        )
        if code in has_children:
            plan.append(
                (f"head-{slug}", f"单位负责人（{paths[code]}）", (heads_group(code),))
            )
    return plan


def add_demo_staff(site, seed=0):
    """Create the demo staff that do not exist yet; returns
    ``[(user id, password, what they are)]`` of those created."""
    rng = random.Random(f"staff-{seed}")
    ensure_unit_groups()
    created = []
    for user_id, role, groups in demo_staff_plan():
        if api.user.get(username=user_id) is not None:
            continue
        password = secrets.token_urlsafe(12)
        api.user.create(
            email=f"{user_id}@example.org",
            username=user_id,
            password=password,
            properties={"fullname": random_name(rng)},
        )
        for group_id in groups:
            api.group.add_user(groupname=group_id, username=user_id)
        created.append((user_id, password, role))
    return created
