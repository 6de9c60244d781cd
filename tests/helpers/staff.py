"""Staff users of the bureau (their ids, groups and password; the ``staff``
fixtures create them) and members of a unit's group."""

from plone import api


# Staff users of the bureau, one per role group the profile creates.
STAFF = {
    "registrar": "registrars",
    "handler": "case_handlers",
    "organizer": "hearing_organizers",
    "archivist": "archivists",
    "inspector": "inspectors",
    "head": "unit-CXX-heads",  # head of the county: reads the cases of every unit in it
}


# The unit groups the staff users belong to besides their role's group
# (need-to-know by unit): the handler handles the cases of 住建局 (JSJ).
STAFF_UNITS = {"handler": ("unit-JSJ",)}


STAFF_PASSWORD = "test-Pa55-word"


def member_of(group_id, user_id=None):
    user_id = user_id or "m-" + group_id.replace("-", "")[:20]
    if api.user.get(username=user_id) is None:
        api.user.create(
            email=f"{user_id}@example.org", username=user_id, password=STAFF_PASSWORD
        )
    if group_id not in [g.id for g in api.group.get_groups(username=user_id)]:
        api.group.add_user(groupname=group_id, username=user_id)
    return user_id
