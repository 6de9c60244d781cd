"""Content rules: validation, repeat flags, accusation material, vocabularies, settings."""

from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.namedfile.file import NamedBlobFile
from xinfang_archive.content.case import IPetitionCaseSchema
from xinfang_archive.content.petitioner import IPetitioner
from xinfang_archive.localtime import local_today
from xinfang_archive.privacy.idcard import check_digit
from xinfang_archive.privacy.idcard import id_number_problem
from xinfang_archive.privacy.masking import mask_address
from xinfang_archive.privacy.masking import mask_id_number
from xinfang_archive.privacy.masking import mask_phone
from zope.interface import Invalid
from zope.schema import ValidationError

import pytest


def test_id_number_check_digit():
    assert check_digit("11010119900307451") == "4"
    assert id_number_problem("110101199003074514") is None
    assert id_number_problem("110101199003074515") == "check_digit"
    assert id_number_problem("110101199002304514") == "birth_date"  # 30 February
    assert id_number_problem("11010119900307451") == "shape"
    assert (
        id_number_problem("11010119900307451x") is None
        or check_digit("11010119900307451") != "X"
    )


def test_future_birth_date_refused():
    future = (local_today() + timedelta(days=400)).strftime("%Y%m%d")
    first17 = "110101" + future + "123"
    assert id_number_problem(first17 + check_digit(first17)) == "birth_date"


def test_masks():
    assert mask_id_number("330102198001011234") == "330102********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-87654321") == "057*****4321"
    assert mask_address("浙江省杭州市西湖区文三路100号") == "浙江省杭州市****"


def test_petitioner_row_validation():
    with pytest.raises(ValidationError):
        IPetitioner["id_number"].validate("110101199003074515")
    with pytest.raises(ValidationError):
        IPetitioner["phone"].validate("12ab")
    IPetitioner["phone"].validate("0571-87654321")


class Data:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_invariants():
    rep = {"name": "x", "representative": True}
    with pytest.raises(Invalid):
        IPetitionCaseSchema.validateInvariants(
            Data(petitioners=[rep] * 6, people_count=50, flags=set())
        )
    IPetitionCaseSchema.validateInvariants(
        Data(petitioners=[rep] * 5, people_count=50, flags={"collective"})
    )
    with pytest.raises(Invalid):
        IPetitionCaseSchema.validateInvariants(
            Data(petitioners=[rep] * 2, people_count=1, flags=set())
        )
    with pytest.raises(Invalid):
        IPetitionCaseSchema.validateInvariants(
            Data(petitioners=[rep], people_count=3, flags={"collective"})
        )


def test_received_date_cannot_be_future():
    with pytest.raises(ValidationError):
        IPetitionCaseSchema["received_date"].validate(local_today() + timedelta(days=1))


def test_accusation_material_hidden_from_handler(portal, make_case, staff):
    case = make_case(
        category="discipline", responsible_unit="JSJ"
    )  # the handler's unit
    plain = api.content.create(
        container=case,
        type="CaseDocument",
        title="来信",
        responsible="张三",
        file=NamedBlobFile(b"x", filename="a.txt", contentType="text/plain"),
        document_date=local_today(),
        classification="internal",
    )
    accusation = api.content.create(
        container=case,
        type="CaseDocument",
        title="举报材料",
        responsible="张三",
        file=NamedBlobFile(b"y", filename="b.txt", contentType="text/plain"),
        document_date=local_today(),
        classification="secret",
        accusation=True,
    )
    setRoles(portal, TEST_USER_ID, ["Member"])
    login(portal, "handler")
    assert api.user.has_permission("View", obj=plain)
    assert not api.user.has_permission("View", obj=accusation)
    titles = [
        b.Title for b in api.content.find(context=case, portal_type="CaseDocument")
    ]
    assert titles == ["来信"]
    login(portal, "inspector")
    assert api.user.has_permission("View", obj=accusation)
    login(portal, "registrar")
    assert api.user.has_permission("View", obj=accusation)
    login(portal, "archivist")  # files and keeps it
    assert api.user.has_permission("View", obj=accusation)


def test_linking_flags_repeat(make_case):
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.event import notify
    from zope.intid.interfaces import IIntIds
    from zope.lifecycleevent import ObjectModifiedEvent

    old = make_case()
    new = make_case()
    assert "repeat" not in new.flags
    new.related_cases = [RelationValue(getUtility(IIntIds).getId(old))]
    notify(ObjectModifiedEvent(new))
    assert "repeat" in new.flags
    catalog = api.portal.get_tool("portal_catalog")
    assert new.UID() in [b.UID for b in catalog(case_flags="repeat")]


def test_catalog_holds_no_raw_personal_data(make_case):
    case = make_case(
        summary="来电0571-8765-4321，身份证110101 1990 0307 4514，反映补偿问题。"
    )
    catalog = api.portal.get_tool("portal_catalog")
    (brain,) = catalog(UID=case.UID())

    def texts(value):
        """The text in an index's or a column's value (a UID, a record id or a
        time may hold four digits of a phone number by chance)."""
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                yield from texts(item)

    data = " ".join(
        text
        for values in (
            catalog.getIndexDataForRID(brain.getRID()),
            catalog.getMetadataForRID(brain.getRID()),
        )
        for name, value in values.items()
        if name != "UID"
        for text in texts(value)
    )
    assert case.registration_number in data  # the text was read
    for secret in (
        "110101199003074514",
        "13812345678",
        "文三路",
        "8765",
        "4321",
        "4514",
    ):
        assert secret not in data
    assert len(catalog(SearchableText="张三")) == 1
    assert len(catalog(SearchableText="13812345678")) == 0


def test_vocabularies_come_from_the_registry(portal):
    from zope.component import getUtility
    from zope.schema.interfaces import IVocabularyFactory

    units = getUtility(IVocabularyFactory, "xinfang_archive.units")(portal)
    assert units.getTerm("CGZ-DC").title == "城西县 / 城关镇 / 东村"
    assert units.getTerm("JSJ").title == "城西县 / 住房和城乡建设局"
    record = "xinfang_archive.channels"
    api.portal.set_registry_record(
        record, [*api.portal.get_registry_record(record), "wechat|微信"]
    )
    channels = getUtility(IVocabularyFactory, "xinfang_archive.channels")(portal)
    assert channels.getTerm("wechat").title == "微信"


def test_settings_validation():
    from xinfang_archive.controlpanel.form import check_registration_format
    from xinfang_archive.controlpanel.settings import InvalidCodeLines
    from xinfang_archive.controlpanel.settings import valid_code_lines

    check_registration_format("XF-{year}-{seq:06d}")
    for bad in ("XF-{year}", "XF-{seq}-{name}", "XF-{seq"):
        with pytest.raises(Invalid):
            check_registration_format(bad)
    valid_code_lines(["a|甲", "b|乙|x"])
    for bad in (["a"], ["a|甲", "a|乙"], ["a b|甲"]):
        with pytest.raises(InvalidCodeLines):
            valid_code_lines(bad)


def test_control_panel_renders(manager):
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    request = manager.REQUEST
    alsoProvides(request, IXinfangArchiveLayer)
    html = api.content.get_view("xinfang-archive-settings", manager, request)()
    assert "registration_number_format" in html and "XF-{year}-{seq:06d}" in html


def test_uninstall_removes_configuration_keeps_records(make_case, installer):
    case = make_case()
    installer.uninstall_product("xinfang_archive")
    catalog = api.portal.get_tool("portal_catalog")
    assert "case_deadline" not in catalog.indexes()
    # Plone's own SearchableText is back (the add-on's class may be gone)
    for name in ("SearchableText", "Title", "Description"):
        assert catalog._catalog.getIndex(name).meta_type == "ZCTextIndex"
    assert (
        api.portal.get_registry_record("xinfang_archive.accept_days", default=None)
        is None
    )
    assert case.registration_number


def test_reply_text_is_searchable_without_markup(make_case):
    from plone.app.textfield.value import RichTextValue

    case = make_case()
    api.content.create(
        container=case,
        type="Reply",
        id="r1",
        kind="acceptance_notice",
        document_number="X信〔2024〕9号",
        reply_date=local_today(),
        body=RichTextValue(
            "<p>经研究，决定<strong>受理</strong>您的信访事项。</p>",
            "text/html",
            "text/x-html-safe",
        ),
    )
    catalog = api.portal.get_tool("portal_catalog")
    (_brain,) = catalog(portal_type="Reply")
    assert not catalog(SearchableText="strong", portal_type="Reply")
    assert len(catalog(SearchableText="受理您的信访事项", portal_type="Reply")) == 1
