"""Install and uninstall steps that GenericSetup XML cannot express."""

from plone import api
from plone.base.interfaces import INonInstallable
from Products.CMFCore.utils import getToolByName
from xinfang_archive import _
from xinfang_archive.face import set_logo_and_favicon
from xinfang_archive.i18n import record_text
from xinfang_archive.privacy.keys import ensure_secret
from xinfang_archive.privacy.units import ensure_unit_groups
from xinfang_archive.search.catalog_index import META_TYPE
from xinfang_archive.search.catalog_index import VIEWS
from zope.interface import implementer

import logging


logger = logging.getLogger("xinfang_archive")

CASES_ID = "cases"
OFFICE_ID = "archive-office"
HEARINGS_ID = "hearings"
NOTICES_ID = "hearing-notices"
SCREENING_ID = "screening"
MEETINGS_ID = "meetings"
RECEPTIONS_ID = "receptions"
ACCOUNTABILITY_ID = "accountability"
WARNINGS_ID = "warnings"

# Group id, title (translated into the record language), role.  Case
# handlers hold no case-wide role: their unit's cases give them CaseHandler
# (need-to-know by unit, ``privacy.units``).
GROUPS = (
    ("registrars", _("Registrars"), "Registrar"),
    ("case_handlers", _("Case handlers"), "UnitStaff"),
    ("hearing_organizers", _("Hearing organizers"), "HearingOrganizer"),
    ("archivists", _("Archivists"), "Archivist"),
    ("inspectors", _("Inspectors"), "Inspector"),
)

# Index name, meta type, also a metadata column.  Added here rather than in
# catalog.xml, because re-applying catalog.xml empties existing indexes.
INDEXES = (
    ("registration_number", "FieldIndex", True),
    ("case_deadline", "DateIndex", True),
    ("petitioner_keys", "KeywordIndex", False),
    ("case_channel", "FieldIndex", True),
    ("case_category", "FieldIndex", True),
    ("case_grade", "FieldIndex", True),
    ("case_unit", "FieldIndex", True),
    ("case_handler", "FieldIndex", False),
    ("case_flags", "KeywordIndex", True),
    ("received_date", "DateIndex", True),
    ("closed_on", "DateIndex", True),
    ("archival_code", "FieldIndex", True),
    ("filing_year", "FieldIndex", True),
    ("retention_period", "FieldIndex", True),
    ("retention_expires", "DateIndex", True),
    ("organisation_code", "FieldIndex", True),
    ("held_codes", "KeywordIndex", False),
    ("query_key", "FieldIndex", False),
    ("meeting_cases", "KeywordIndex", False),
    ("meeting_kind", "FieldIndex", True),
    ("meeting_date", "DateIndex", True),
    ("warning_rule", "FieldIndex", True),
    ("warning_unit", "FieldIndex", True),
    ("warning_records", "KeywordIndex", False),
)

# Metadata columns without an index of their own.
COLUMNS = (
    "case_facts",  # the monthly bulletin's facts of a case (reports/facts.py)
)


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        return ["xinfang_archive:uninstall"]


def add_catalog_indexes(portal):
    catalog = getToolByName(portal, "portal_catalog")
    added = []
    for name, meta_type, column in INDEXES:
        if name not in catalog.indexes():
            catalog.addIndex(name, meta_type)
            added.append(name)
        if column and name not in catalog.schema():
            catalog.addColumn(name)
    for name in COLUMNS:
        if name not in catalog.schema():
            catalog.addColumn(name)
    if added:
        logger.info("Indexing new catalog indexes %s", added)
        catalog.manage_reindexIndex(ids=added)


def add_groups(portal):
    for group_id, title, role in GROUPS:
        if api.group.get(groupname=group_id) is None:
            api.group.create(groupname=group_id, title=record_text(title))
        api.group.grant_roles(groupname=group_id, roles=[role])


def add_case_folder(portal):
    if CASES_ID not in portal.objectIds():
        api.content.create(
            container=portal, type="CaseFolder", id=CASES_ID, title="信访件"
        )


def add_archive_office(portal):
    """档案管理 at /archive-office (its type is not addable anywhere by hand)."""
    from plone.dexterity.utils import createContentInContainer

    if OFFICE_ID not in portal.objectIds():
        createContentInContainer(
            portal,
            "ArchiveOffice",
            checkConstraints=False,
            id=OFFICE_ID,
            title="档案管理",
            exclude_from_nav=True,
        )


def add_hearing_folders(portal):
    """听证 at /hearings (staff) and 听证公告 at /hearing-notices (public)."""
    from plone.dexterity.utils import createContentInContainer

    for folder_id, type_name, title in (
        (HEARINGS_ID, "HearingFolder", "听证"),
        (NOTICES_ID, "NoticeBoard", "听证公告"),
    ):
        if folder_id not in portal.objectIds():
            createContentInContainer(
                portal,
                type_name,
                checkConstraints=False,
                id=folder_id,
                title=title,
                exclude_from_nav=True,
            )


def _top_folder(portal, folder_id, portal_type, title, adders=()):
    """The folder ``folder_id`` at the site's top, made once; ``adders``
    also hold "Add portal content" there (the type's own add permission
    decides what they may add)."""
    from plone.dexterity.utils import createContentInContainer

    if folder_id not in portal.objectIds():
        createContentInContainer(
            portal,
            portal_type,
            checkConstraints=False,
            id=folder_id,
            title=title,
            exclude_from_nav=True,
        )
    folder = portal[folder_id]
    roles = {
        role["name"]
        for role in folder.rolesOfPermission("Add portal content")
        if role["selected"]
    }
    if set(adders) - roles:
        folder.manage_permission(
            "Add portal content", roles=sorted(roles | set(adders)), acquire=1
        )
    return folder


def add_screening_folder(portal):
    """矛盾纠纷排查 at /screening, where every unit's staff add their reports
    (which their unit then gives them, ``privacy.units``)."""
    return _top_folder(
        portal, SCREENING_ID, "ScreeningFolder", "矛盾纠纷排查", adders=("UnitStaff",)
    )


def add_meeting_folder(portal):
    """会议 at /meetings, where the registrar records coordination meetings."""
    return _top_folder(portal, MEETINGS_ID, "MeetingFolder", "会议")


def add_reception_folder(portal):
    """领导信访接待日 at /receptions: its default view is the public schedule
    (the folder is public; each reception day follows its own workflow)."""
    return _top_folder(portal, RECEPTIONS_ID, "ReceptionFolder", "领导信访接待日")


def add_accountability_folder(portal):
    """责任追究 at /accountability: registrars and inspectors add records there."""
    return _top_folder(
        portal,
        ACCOUNTABILITY_ID,
        "AccountabilityFolder",
        "责任追究",
        adders=("Inspector",),
    )


def add_warning_folder(portal):
    """预警 at /warnings: the rules raise the warnings there (earlywarning/)."""
    return _top_folder(portal, WARNINGS_ID, "WarningFolder", "预警")


def post_install(context):
    portal = api.portal.get()
    add_catalog_indexes(portal)
    add_groups(portal)
    ensure_unit_groups()
    ensure_secret(portal)
    add_case_folder(portal)
    add_archive_office(portal)
    add_hearing_folders(portal)
    add_screening_folder(portal)
    add_meeting_folder(portal)
    add_reception_folder(portal)
    add_accountability_folder(portal)
    add_warning_folder(portal)
    set_front_page(portal)
    set_logo_and_favicon()


HOME_VIEW = "xf-home"


def set_front_page(portal):
    """The site's front page is the role homes (``@@xf-home``), not Plone's
    welcome text."""
    portal.setLayout(HOME_VIEW)


def uninstall(context):
    """Keep records and groups; drop the indexes the add-on added."""
    portal = api.portal.get()
    catalog = getToolByName(portal, "portal_catalog")
    for name, _meta_type, column in INDEXES:
        if name in catalog.indexes():
            catalog.delIndex(name)
        if column and name in catalog.schema():
            catalog.delColumn(name)
    for name in COLUMNS:
        if name in catalog.schema():
            catalog.delColumn(name)
    restore_plone_text_indexes(catalog)


class _TextIndexSettings:
    """The ``extra`` of Plone's own text indexes (CMFPlone's catalog.xml)."""

    index_type = "Okapi BM25 Rank"
    lexicon_id = "plone_lexicon"


def restore_plone_text_indexes(catalog):
    """Give SearchableText, Title and Description back to Plone's
    ZCTextIndex, filled."""

    restored = []
    for name in VIEWS:
        if name in catalog.indexes():
            if catalog._catalog.getIndex(name).meta_type != META_TYPE:
                continue
            catalog.delIndex(name)
        catalog.addIndex(name, "ZCTextIndex", _TextIndexSettings())
        restored.append(name)
    if restored:
        catalog.manage_reindexIndex(ids=restored)
