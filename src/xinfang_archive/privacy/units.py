"""Need-to-know by unit (属地管理).

Staff belong to units through Plone groups, one per unit of the ``units``
registry list (county → township → village, and departments): members of
``unit-<code>`` handle that unit's cases, members of ``unit-<code>-heads``
(单位负责人) see the cases of the unit and of every unit below it.  Both are
edited in the site's Users and Groups control panel.

A case gives these groups their roles as local roles, derived from its
responsible unit whenever it changes (routing 交办, an edit, a transfer to
another unit): ``CaseHandler`` to the unit's group, ``Reader`` to the heads
of the unit and of its parents.  The documents inside follow by acquisition,
a hearing takes the roles of the cases it hears, and a screening report
(矛盾纠纷排查) those of the unit that files it.  The catalog and the
full-text index are reindexed for security at once; a change of a user's
groups needs no reindex, because both filter by the user's groups at query
time.  Bureau roles (registrar, archivist, inspector) are global and see the
whole archive; accusation material stays sealed to every unit role
(``privacy.accusation``).
"""

from Acquisition import aq_base
from plone import api
from xinfang_archive.content.interfaces import IHearing
from xinfang_archive.vocabularies.registry import parse_lines
from xinfang_archive.vocabularies.registry import registry_lines
from xinfang_archive.vocabularies.registry import unit_paths
from zope.lifecycleevent.interfaces import IObjectAddedEvent

import logging


logger = logging.getLogger("xinfang_archive.units")

GROUP_PREFIX = "unit-"
HEADS_SUFFIX = "-heads"
HANDLER_ROLE = "CaseHandler"
HEAD_ROLE = "Reader"  # Plone's "can view": heads see, do not handle
UNIT_ROLES = frozenset({HANDLER_ROLE, HEAD_ROLE})
STAFF_ROLE = "UnitStaff"  # global: opens the case and hearing folders, no case
LOCAL_ROLES_CACHE = "borg.localrole.workspace.checkLocalRolesAllowed"
MAX_DEPTH = 8  # a registry list with a cycle must not loop


def unit_group(code):
    return f"{GROUP_PREFIX}{code}"


def heads_group(code):
    return f"{GROUP_PREFIX}{code}{HEADS_SUFFIX}"


def is_unit_group(principal_id):
    return principal_id.startswith(GROUP_PREFIX)


def unit_parents():
    """``{code: parent code or ""}`` from the ``units`` registry list."""
    return {
        row[0]: (row[2] if len(row) > 2 else "")
        for row in parse_lines(registry_lines("units"))
    }


def lineage(code, parents=None):
    """The unit and its parents, nearest first."""
    parents = unit_parents() if parents is None else parents
    chain = []
    while code and code not in chain and len(chain) < MAX_DEPTH:
        chain.append(code)
        code = parents.get(code, "")
    return chain


def unit_local_roles(codes, parents=None):
    """``{group id: {roles}}`` that cases of the units ``codes`` grant."""
    parents = unit_parents() if parents is None else parents
    grants = {}
    for code in codes:
        if not code:
            continue
        grants.setdefault(unit_group(code), set()).add(HANDLER_ROLE)
        for upper in lineage(code, parents):
            grants.setdefault(heads_group(upper), set()).add(HEAD_ROLE)
    return grants


def _current_unit_grants(obj):
    local = getattr(aq_base(obj), "__ac_local_roles__", None) or {}
    return {
        principal: set(roles) & UNIT_ROLES
        for principal, roles in local.items()
        if is_unit_group(principal) and set(roles) & UNIT_ROLES
    }


def apply_unit_roles(obj, codes, parents=None, new=False):
    """Make ``obj``'s unit grants those of ``codes``; other local roles stay.
    Returns whether anything changed (then its security is reindexed: the
    object's and everything inside it, or, for a ``new`` object that holds
    nothing yet, only its own queued index entry)."""
    wanted = unit_local_roles(codes, parents)
    current = _current_unit_grants(obj)
    if wanted == current:
        return False
    local = dict(getattr(aq_base(obj), "__ac_local_roles__", None) or {})
    for principal in set(current) | set(wanted):
        kept = [r for r in local.get(principal, ()) if r not in UNIT_ROLES]
        roles = kept + sorted(wanted.get(principal, ()))
        if roles:
            local[principal] = roles
        else:
            local.pop(principal, None)
    # Set as a whole, as RoleManager.manage_setLocalRoles does, without its
    # frozen-record guard: the grants are derived from the unit, which only
    # an amendment can change on a filed record.
    obj.__ac_local_roles__ = local
    obj._p_changed = True
    _forget_cached_local_roles(obj)
    if new:
        obj.reindexObject(idxs=["allowedRolesAndUsers"])
    else:
        obj.reindexObjectSecurity()
    return True


def _forget_cached_local_roles(obj):
    """borg.localrole caches each user's local-role check on the request:
    the rest of this request must see the new grants too."""
    from zope.annotation.interfaces import IAnnotations

    request = getattr(obj, "REQUEST", None)
    try:
        cache = IAnnotations(request)
    except TypeError:
        return
    for key in [
        k for k in cache if isinstance(k, str) and k.startswith(LOCAL_ROLES_CACHE)
    ]:
        del cache[key]


def hearings_of(case):
    """The hearings that hear ``case`` (back references of their ``cases``)."""

    try:
        relations = api.relation.get(
            target=case, relationship="cases", unrestricted=True
        )
    except Exception:  # no relation catalog (a bare test site)
        return []
    found = []
    for relation in relations:
        source = relation.from_object
        if source is not None and IHearing.providedBy(source):
            found.append(source)
    return found


def sync_hearing(hearing, parents=None, new=False):
    codes = []
    for relation in getattr(hearing, "cases", None) or ():
        case = getattr(relation, "to_object", None)
        code = getattr(case, "responsible_unit", None)
        if code and code not in codes:
            codes.append(code)
    return apply_unit_roles(hearing, codes, parents, new=new)


def sync_case(case, new=False):
    """The case's grants follow its responsible unit, and its hearings' too."""
    parents = unit_parents()
    changed = apply_unit_roles(
        case, [getattr(case, "responsible_unit", None)], parents, new=new
    )
    if changed:
        for hearing in hearings_of(case):
            sync_hearing(hearing, parents)
    return changed


def ensure_unit_groups():
    """One handlers' group and one heads' group per unit of the registry list
    (titles with the unit's path); groups of removed units are kept, their
    grants simply no longer arise."""
    created = []
    for code, path in unit_paths().items():
        for group_id, title in (
            (unit_group(code), f"承办单位：{path}"),
            (heads_group(code), f"单位负责人：{path}"),
        ):
            group = api.group.get(groupname=group_id)
            if group is None:
                api.group.create(groupname=group_id, title=title)
                api.group.grant_roles(groupname=group_id, roles=[STAFF_ROLE])
                created.append(group_id)
            elif group.getProperty("title") != title:
                group.setGroupProperties({"title": title})
    if created:
        logger.info("Created %d unit groups", len(created))
    return created


def is_unit_member(user_id, code):
    user = api.user.get(userid=user_id)
    return user is not None and unit_group(code) in user.getGroups()


def units_of(user_id):
    """``(handled, headed)``: unit codes whose groups the user belongs to."""
    handled, headed = [], []
    user = api.user.get(userid=user_id)
    if user is None:
        return handled, headed
    codes = set(unit_parents())
    for group_id in user.getGroups():
        if not is_unit_group(group_id):
            continue
        code = group_id[len(GROUP_PREFIX) :]
        if code.endswith(HEADS_SUFFIX) and code[: -len(HEADS_SUFFIX)] in codes:
            headed.append(code[: -len(HEADS_SUFFIX)])
        elif code in codes:
            handled.append(code)
    return sorted(handled), sorted(headed)


# event handlers (privacy/configure.zcml)


def case_changed(case, event):
    sync_case(case, new=IObjectAddedEvent.providedBy(event))


def hearing_changed(hearing, event):
    sync_hearing(hearing, new=IObjectAddedEvent.providedBy(event))


def screening_report_changed(report, event):
    """A screening report is its unit's: handled by its staff, read by the heads above."""
    apply_unit_roles(
        report, [getattr(report, "unit", None)], new=IObjectAddedEvent.providedBy(event)
    )


def accountability_record_changed(record, event):
    """An accountability record is read by the heads of the unit held to
    account (and those above); its workflow gives the unit's staff nothing."""
    apply_unit_roles(
        record, [getattr(record, "unit", None)], new=IObjectAddedEvent.providedBy(event)
    )


def warning_changed(warning, event):
    """An early warning is read by its unit's staff and the heads above; one
    about accusation material (``restricted``) by the bureau alone, never by
    a unit (it may be the accused one)."""
    codes = (
        []
        if getattr(warning, "restricted", False)
        else [getattr(warning, "unit", None)]
    )
    apply_unit_roles(warning, codes, new=IObjectAddedEvent.providedBy(event))


def units_list_changed(event):
    record = getattr(event, "record", None)
    if getattr(record, "__name__", None) == "xinfang_archive.units":
        ensure_unit_groups()
