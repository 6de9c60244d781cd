"""社会稳定预警: rules from the registry, each kind raising its warning on
the records that triggered it (never twice), acknowledgement with a note,
masking, need-to-know by unit (an accusation case's warning stays with the
bureau), the control panel refusing bad rules, pages, REST, the upgrade
step and the demo."""

from datetime import timedelta
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from tests.helpers.cases import case_data
from tests.helpers.cases import VALID_ID
from tests.helpers.earlywarning import set_rules
from tests.helpers.workflows import diagram_edges_missing
from xinfang_archive.earlywarning import rules as R
from xinfang_archive.earlywarning.scheduling import flush
from xinfang_archive.earlywarning.settings import PREFIX
from xinfang_archive.localtime import local_today
from zope.event import notify
from zope.interface import Invalid
from zope.lifecycleevent import ObjectModifiedEvent

import pytest


def warnings_of(portal, rule_id=None):
    found = [
        w
        for w in portal["warnings"].objectValues()
        if rule_id is None or w.rule_id == rule_id
    ]
    return sorted(found, key=lambda w: w.getId())


def as_manager(portal):
    login(portal, TEST_USER_NAME)
    setRoles(portal, TEST_USER_ID, ["Manager"])


@pytest.fixture()
def new_case(manager):
    def make(**overrides):
        case = api.content.create(
            container=manager["cases"], type="PetitionCase", **case_data(**overrides)
        )
        return case

    return make


def petitioner(name="李四", id_number=None, phone="13900001111"):
    return [
        {
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "address": "城关镇东村5号",
            "representative": False,
        }
    ]


# --- rules -------------------------------------------------------------------------------


def test_the_default_rules_parse_and_name_every_kind(portal):
    from xinfang_archive.earlywarning import settings

    values = {
        name: getattr(settings, "DEFAULT_" + name.upper()) for name in R.FIELDS.values()
    }
    rules, periods = R.parse_all(values)
    assert {rule.kind for rule in rules} == set(R.KINDS)
    assert periods == []
    enabled, _periods = R.current_rules()
    assert {rule.id for rule in enabled} == {rule.id for rule in rules}


@pytest.mark.parametrize(
    "kind,line",
    [
        ("collective", "c1|集体访|abc"),
        ("collective", "c1|集体访|0"),
        ("collective", "c 1|集体访|5"),
        ("collective", "c1||5"),
        ("repeat", "r1|重复|someone|30"),
        ("repeat", "r1|重复|petitioner|-3"),
        ("surge", "s1|激增|category|nonesuch|5|7"),
        ("surge", "s1|激增|unit|NOPE|5|7"),
        ("surge", "s1|激增|weather|*|5|7"),
        ("surge", "s1|激增|category|*|5"),
    ],
)
def test_bad_rules_are_refused(portal, kind, line):
    with pytest.raises(R.RuleError):
        R.parse_kind(kind, [line], R.known_codes())


@pytest.mark.parametrize(
    "line",
    [
        "两会|2027-03-15|2027-03-03",
        "两会|2027-02-30|2027-03-03",
        "两会|2027/03/03|2027-03-05",
        "|2027-03-03|2027-03-05",
        "两会|2027-03-03",
    ],
)
def test_bad_periods_are_refused(line):
    with pytest.raises(R.RuleError):
        R.parse_periods([line])


def test_a_rule_can_be_switched_off(portal):
    set_rules(collective_rules=["c1|集体访|5|off", "c2|大规模|50"])
    rules, _periods = R.current_rules()
    assert [rule.id for rule in rules] == ["c2"]


def test_ids_are_unique_across_kinds(portal):
    with pytest.raises(R.RuleError):
        R.parse_all(
            {
                "collective_rules": ["x|集体访|5"],
                "repeat_rules": ["x|重复|petitioner|30"],
            }
        )


# --- each kind raises its warning ----------------------------------------------------------


def test_collective_petition_raises_once(portal, new_case):
    set_rules(collective_rules=["big|较大规模集体访|50"])
    small = new_case(people_count=10, flags={"collective"})
    big = new_case(people_count=60, flags={"collective"}, responsible_unit="JSJ")
    made = flush()
    assert [w.records for w in made] == [[big.UID()]]
    (warning,) = warnings_of(portal, "big")
    assert warning.rule_kind == "collective" and warning.rule_title == "较大规模集体访"
    assert warning.unit == "JSJ" and warning.occurred_on == big.received_date
    assert big.registration_number in warning.summary and "60" in warning.summary
    assert "张三" not in warning.summary and VALID_ID not in warning.summary
    assert api.content.get_state(warning) == "raised"
    assert small.UID() not in warning.records
    # edited again, the same matter: no second warning
    big.summary += "（补充）"
    notify(ObjectModifiedEvent(big))
    assert flush() == []
    assert len(warnings_of(portal)) == 1


def test_repeat_by_petitioner_within_the_days(portal, new_case):
    set_rules(repeat_rules=["rp|同一信访人30日内再次信访|petitioner|30"])
    today = local_today()
    first = new_case(
        petitioners=petitioner(id_number=VALID_ID),
        received_date=today - timedelta(days=20),
    )
    flush()
    assert warnings_of(portal) == []
    second = new_case(
        petitioners=petitioner(name="李四", id_number=VALID_ID, phone=""),
        received_date=today - timedelta(days=2),
    )
    new_case(
        petitioners=petitioner(name="王五", id_number=None, phone="13700002222")
    )  # someone else
    made = flush()
    assert len(made) == 1
    assert sorted(made[0].records) == sorted([first.UID(), second.UID()])
    assert first.registration_number in made[0].summary
    assert "李四" not in made[0].summary and VALID_ID not in made[0].summary


def test_repeat_outside_the_days_raises_nothing(portal, new_case):
    set_rules(repeat_rules=["rp|同一信访人30日内再次信访|petitioner|30"])
    new_case(petitioners=petitioner(), received_date=local_today() - timedelta(days=90))
    new_case(petitioners=petitioner())
    assert flush() == []


def test_repeat_of_the_same_matter(portal, new_case):
    from tests.helpers.relations import relation

    set_rules(repeat_rules=["rm|同一事项90日内再次信访|matter|90"])
    earlier = new_case(received_date=local_today() - timedelta(days=60))
    flush()
    later = new_case(
        petitioners=petitioner(name="赵六"), related_cases=[relation(earlier)]
    )
    (warning,) = flush()
    assert sorted(warning.records) == sorted([earlier.UID(), later.UID()])


def test_surge_of_a_category_in_a_window(portal, new_case):
    from xinfang_archive.earlywarning.evaluate import window_of

    set_rules(surge_rules=["sl|征地拆迁激增|category|land|3|7"])
    first_day, _last = window_of(local_today(), 7)
    day = max(first_day, local_today() - timedelta(days=1))
    cases = [new_case(category="land", received_date=day) for _i in range(2)]
    new_case(category="labour", received_date=day)
    assert flush() == []
    cases.append(new_case(category="land", received_date=day))
    (warning,) = flush()
    assert sorted(warning.records) == sorted(c.UID() for c in cases)
    assert warning.occurred_on == first_day and "3" in warning.summary
    new_case(category="land", received_date=day)
    assert flush() == []  # one warning per window


def test_surge_of_a_unit(portal, new_case):
    set_rules(surge_rules=["su|单位激增|unit|*|2|3650"])
    new_case(responsible_unit="MZJ")
    new_case(responsible_unit="JSJ")
    assert flush() == []
    new_case(responsible_unit="MZJ")
    (warning,) = flush()
    assert warning.unit == "MZJ"


def test_key_matters_in_a_sensitive_period(portal, new_case):
    today = local_today()
    set_rules(
        sensitive_rules=["sk|敏感时期重点信访事项"],
        sensitive_periods=[
            f"重要会议|{(today - timedelta(days=5)).isoformat()}|{today.isoformat()}"
        ],
    )
    key = new_case(grade="key")
    new_case(grade="ordinary")
    new_case(grade="key", received_date=today - timedelta(days=9))  # before the period
    collective = new_case(people_count=8, flags={"collective"})
    made = flush()
    assert sorted(w.records[0] for w in made) == sorted([key.UID(), collective.UID()])
    assert all("重要会议" in w.summary for w in made)


def test_a_submitted_screening_report_raises_its_warnings(portal, manager):
    from tests.helpers.archival import do

    today = local_today()
    set_rules(
        collective_rules=["big|较大规模矛盾纠纷|50"],
        sensitive_rules=["sk|敏感时期重点事项"],
        sensitive_periods=[f"重大活动|{today.isoformat()}|{today.isoformat()}"],
    )
    report = api.content.create(
        container=portal["screening"],
        type="ScreeningReport",
        title="",
        unit="JSJ",
        period="2026-11",
        zero_report=False,
        disputes=[
            {
                "matter": "征地补偿纠纷",
                "parties": "张三等80户",
                "people_count": 80,
                "category": "land",
                "risk_grade": "key",
                "measures": "",
                "responsible": "王五",
                "deadline": None,
                "state": "open",
            },
            {
                "matter": "工资拖欠",
                "parties": "李四",
                "people_count": 2,
                "category": "labour",
                "risk_grade": "ordinary",
                "measures": "",
                "responsible": "王五",
                "deadline": None,
                "state": "open",
            },
        ],
    )
    assert flush() == []  # a draft raises nothing
    do(report, "submit")
    made = flush()
    assert sorted(w.rule_id for w in made) == ["big", "sk"]
    assert all(w.records == [report.UID()] and w.unit == "JSJ" for w in made)
    assert all("张三" not in w.summary for w in made)


def test_rules_run_at_commit_without_a_flush(portal, new_case):
    """The before-commit hook evaluates what the transaction scheduled."""
    from xinfang_archive.earlywarning.scheduling import _before_commit
    from xinfang_archive.earlywarning.scheduling import _pending

    import transaction

    set_rules(collective_rules=["big|较大规模集体访|50"])
    new_case(people_count=60, flags={"collective"})
    pending = _pending(transaction.get())
    assert pending
    _before_commit(pending)  # what the commit calls (integration tests do not commit)
    assert len(warnings_of(portal)) == 1 and not pending


# --- acknowledgement ------------------------------------------------------------------------


@pytest.fixture()
def warning(portal, new_case, staff):
    set_rules(collective_rules=["big|较大规模集体访|50"])
    new_case(people_count=60, flags={"collective"}, responsible_unit="JSJ")
    (made,) = flush()
    return made


def test_acknowledge_needs_a_note(portal, warning):
    from xinfang_archive.earlywarning.acknowledge import acknowledge

    login(portal, "registrar")
    with pytest.raises(Invalid):
        acknowledge(warning, "   ")
    assert api.content.get_state(warning) == "raised" and not warning.acknowledged_by
    acknowledge(warning, "已联系属地乡镇落实稳控。")
    assert api.content.get_state(warning) == "acknowledged"
    assert (
        warning.acknowledged_by == "registrar" and warning.acknowledged_on is not None
    )
    assert warning.acknowledgement == "已联系属地乡镇落实稳控。"
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(warning)
    assert history.getLength(countPurged=False) >= 2
    with pytest.raises(Invalid):
        acknowledge(warning, "再次签收")


def test_an_acknowledged_warning_is_filed_on_its_own(portal, warning):
    from tests.helpers.archival import do
    from xinfang_archive.archival.amend import amend
    from xinfang_archive.archival.filing import make_plan
    from xinfang_archive.archival.freeze import FrozenRecord
    from xinfang_archive.earlywarning.acknowledge import acknowledge

    login(portal, "archivist")
    assert [str(p.message) for p in make_plan(warning).problems] == [
        "This record cannot be filed in its present state."
    ]
    login(portal, "registrar")
    acknowledge(warning, "已联系属地乡镇落实稳控，联系电话13812345678。")
    login(portal, "archivist")
    do(warning, "file")
    year = warning.occurred_on.year
    assert api.content.get_state(warning) == "filed"
    assert warning.archival_code == f"X001-XF·{year}-D10-JSJ-0001"
    assert warning.retention_rules == ("record=warning|D10|社会稳定预警记录",)
    with pytest.raises(FrozenRecord):
        portal["warnings"]._delObject(warning.getId())
    amendment = amend(
        warning, {"acknowledgement": "已联系属地乡镇落实稳控。"}, "删去电话"
    )
    assert warning.amendments[-1]["reason"] == "删去电话"
    assert "13812345678" not in amendment["changes"][0]["before"]
    (brain,) = api.content.find(archival_code=warning.archival_code)
    assert warning.UID() == brain.UID


def test_who_may_acknowledge(portal, warning):
    from xinfang_archive.earlywarning.acknowledge import may_acknowledge

    allowed = {}
    for user_id in (
        "registrar",
        "handler",
        "head",
        "inspector",
        "archivist",
        "organizer",
    ):
        login(portal, user_id)
        allowed[user_id] = may_acknowledge(warning)
    assert allowed == {
        "registrar": True,
        "handler": False,
        "head": True,
        "inspector": False,
        "archivist": False,
        "organizer": False,
    }


def test_the_acknowledge_form(portal, warning, request_):
    from plone.protect.authenticator import createToken

    login(portal, "registrar")
    request_.form.update(
        {
            "form.widgets.note": "",
            "form.buttons.acknowledge": "签收",
            "_authenticator": createToken(),
        }
    )
    request_.method = "POST"
    html = api.content.get_view("acknowledge", warning, request_)()
    assert api.content.get_state(warning) == "raised"
    assert "form.widgets.note" in html
    request_.form["form.widgets.note"] = "已约谈信访人。"
    api.content.get_view("acknowledge", warning, request_)()
    assert api.content.get_state(warning) == "acknowledged"


def test_the_acknowledge_form_checks_the_token(portal, warning, request_):
    from zExceptions import Forbidden

    login(portal, "registrar")
    request_.form.update(
        {"form.widgets.note": "已约谈信访人。", "form.buttons.acknowledge": "签收"}
    )
    request_.method = "POST"
    with pytest.raises(Forbidden):
        api.content.get_view("acknowledge", warning, request_)()
    assert api.content.get_state(warning) == "raised"


# --- masking and need-to-know ---------------------------------------------------------------


def test_the_note_is_masked_without_personal_data(portal, warning, request_):
    from tests.helpers.views import render
    from xinfang_archive.earlywarning.acknowledge import acknowledge

    login(portal, "registrar")
    acknowledge(warning, f"已联系信访人，电话13812345678，身份证{VALID_ID}。")
    html = render("view", warning, request_)
    assert "13812345678" in html
    login(portal, "inspector")
    html = render("view", warning, request_)
    assert (
        "13812345678" not in html
        and VALID_ID not in html
        and "已联系信访人，电话*" in html
    )
    (case,) = api.content.find(UID=warning.records[0])
    assert case.registration_number in html  # its case, linked


def test_the_unit_reads_its_warning_other_units_do_not(portal, warning):
    from tests.helpers.staff import member_of

    login(portal, "handler")  # 住建局's handler
    assert api.user.has_permission("View", obj=warning)
    other = member_of("unit-MZJ")
    login(portal, other)
    assert not api.user.has_permission("View", obj=warning)
    login(portal, "head")  # head of the county above
    assert api.user.has_permission("View", obj=warning)


def test_a_warning_about_an_accusation_stays_with_the_bureau(
    portal, new_case, staff, request_
):
    from tests.helpers.views import render

    set_rules(collective_rules=["big|较大规模集体访|50"])
    case = new_case(
        people_count=60,
        flags={"collective"},
        category="discipline",
        responsible_unit="JSJ",
    )
    (warning,) = flush()
    assert warning.restricted
    for user_id in ("handler", "head"):
        login(portal, user_id)
        assert not api.user.has_permission("View", obj=warning), user_id
        assert warning.getId() not in [
            b.getId for b in api.content.find(portal_type="EarlyWarning")
        ]
    login(portal, "inspector")
    assert api.user.has_permission("View", obj=warning)
    assert case.registration_number in render("view", warning, request_)


# --- pages, dashboard, REST --------------------------------------------------------------------


def test_the_list_filters_and_the_dashboard_box(portal, new_case, staff, request_):
    from tests.helpers.views import render

    set_rules(
        collective_rules=["big|较大规模集体访|50"],
        surge_rules=["su|单位激增|unit|*|2|3650"],
    )
    new_case(people_count=60, flags={"collective"}, responsible_unit="JSJ")
    new_case(responsible_unit="MZJ")
    new_case(responsible_unit="MZJ")
    assert len(flush()) == 2
    login(portal, "registrar")
    html = render("warnings", portal["warnings"], request_)
    assert html.count("/plone/warnings/yj-") == 2
    request_.form.update({"rule": "su"})
    html = render("warnings", portal["warnings"], request_)
    assert html.count("/plone/warnings/yj-") == 1 and "单位激增" in html
    request_.form.clear()
    html = render("case-dashboard", portal["cases"], request_)
    assert 'id="xf-warnings-box"' in html and 'id="xf-count-warnings">2<' in html
    login(portal, "handler")  # 住建局 sees its own warning only
    html = render("case-dashboard", portal["cases"], request_)
    assert 'id="xf-count-warnings">1<' in html


def test_rest_masks_the_note_and_lists_warnings(portal, warning, request_):
    from plone.restapi.interfaces import ISerializeToJson
    from xinfang_archive.earlywarning.acknowledge import acknowledge
    from zope.component import getMultiAdapter

    login(portal, "registrar")
    acknowledge(warning, "信访人电话13812345678。")
    login(portal, "inspector")
    data = getMultiAdapter((warning, request_), ISerializeToJson)()
    assert (
        "13812345678" not in data["acknowledgement"] and "*" in data["acknowledgement"]
    )
    assert "warning_key" not in data
    assert [r["UID"] for r in data["records"]] == warning.records
    from xinfang_archive.services.warning.get import WarningsGet

    service = WarningsGet()
    service.context, service.request = portal, request_
    listing = service.reply()
    assert listing["items_total"] == 1 and listing["items"][0]["rule"] == "big"


# --- the control panel ------------------------------------------------------------------------


def _panel(portal, form):
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    request = portal.REQUEST
    alsoProvides(request, IXinfangArchiveLayer)
    request.form.update(form)
    return api.content.get_view("warning-settings", portal, request)()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("collective_rules", "big|较大规模集体访|很多", "人数必须是正整数"),
        ("surge_rules", "s|激增|category|nonesuch|5|7", "nonesuch"),
        ("surge_rules", "s|激增|unit|NOPE|5|7", "NOPE"),
        ("repeat_rules", "r|重复|petitioner|0", "天数"),
        ("sensitive_periods", "两会|2027-03-15|2027-03-03", "最后一天早于第一天"),
        ("sensitive_periods", "两会|2027-02-30|2027-03-03", "2027-02-30"),
        (
            "repeat_rules",
            "collective-50|重复|petitioner|30",
            "collective-50",
        ),  # an id used by another list
    ],
)
def test_the_control_panel_refuses_bad_rules_and_saves_nothing(
    manager, field, value, message
):
    before = {
        name: api.portal.get_registry_record(f"{PREFIX}.{name}")
        for name in (*R.FIELDS.values(), R.PERIODS_FIELD)
    }
    form = {f"form.widgets.{name}": "\n".join(lines) for name, lines in before.items()}
    form.update({f"form.widgets.{field}": value, "form.buttons.save": "Save"})
    html = _panel(manager, form)
    assert message in html
    after = {
        name: api.portal.get_registry_record(f"{PREFIX}.{name}") for name in before
    }
    assert after == before


def test_the_control_panel_saves_good_rules(manager):
    form = {
        f"form.widgets.{name}": "\n".join(
            api.portal.get_registry_record(f"{PREFIX}.{name}") or []
        )
        for name in (*R.FIELDS.values(), R.PERIODS_FIELD)
    }
    form.update(
        {
            "form.widgets.sensitive_periods": "全国两会|2027-03-03|2027-03-15",
            "form.buttons.save": "Save",
        }
    )
    _panel(manager, form)
    assert api.portal.get_registry_record(f"{PREFIX}.sensitive_periods") == [
        "全国两会|2027-03-03|2027-03-15"
    ]


# --- profile, upgrade, demo -------------------------------------------------------------------


def test_workflow_diagram_names_every_transition(portal):
    assert diagram_edges_missing("xf_warning_workflow") == []


def test_warnings_are_audited_and_searchable(portal, warning):
    from xinfang_archive.audit.subscribers import AUDITED_TYPES
    from xinfang_archive.search.extract import document_for
    from xinfang_archive.search.site import current_segmenter

    assert "EarlyWarning" in AUDITED_TYPES
    doc = document_for(warning, current_segmenter())
    assert doc is not None and "unit-JSJ" in " ".join(doc.allowed)


def test_upgrade_1013_adds_warnings(manager):
    portal = manager
    portal.manage_delObjects(["warnings"])
    portal.portal_workflow.manage_delObjects(["xf_warning_workflow"])
    portal.portal_types.manage_delObjects(["EarlyWarning"])
    portal.portal_catalog.delIndex("warning_rule")
    setup = portal.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1013")
    setup.upgradeProfile("xinfang_archive:default")
    assert setup.getLastVersionForProfile("xinfang_archive:default") == ("1017",)
    assert portal["warnings"].portal_type == "WarningFolder"
    assert portal.portal_workflow.getChainForPortalType("EarlyWarning") == (
        "xf_warning_workflow",
    )
    assert "EarlyWarning" in portal.portal_repository.getVersionableContentTypes()
    assert "warning_rule" in portal.portal_catalog.indexes()
    assert api.portal.get_registry_record(f"{PREFIX}.repeat_rules")


def test_init_upgrades_a_site_at_1014_without_the_warning_records_index(manager):
    """ZCatalog ignores a query on a missing index: without ``warning_records``
    "the warnings that name this case" would be every warning."""
    from xinfang_archive.audit.recorder import pending_entries
    from xinfang_archive.cli.site import upgrade_site

    portal = manager
    catalog = portal.portal_catalog
    catalog.delIndex("warning_records")
    setup = portal.portal_setup
    setup.setLastVersionForProfile("xinfang_archive:default", "1014")
    assert upgrade_site(portal) == ("1014", "1017")
    assert "warning_records" in catalog.indexes()
    assert not catalog.unrestrictedSearchResults(
        portal_type="EarlyWarning", warning_records="no-such-uid"
    )
    [entry] = [e for e in pending_entries() if e["action"] == "upgrade"]
    assert entry["details"] == {
        "profile": "xinfang_archive:default",
        "from": "1014",
        "to": "1017",
    }
    assert upgrade_site(portal) is None  # up to date: nothing to run


def test_demo_raises_and_acknowledges_warnings(manager):
    from collections import Counter
    from xinfang_archive.demo.generator import generate_cases
    from xinfang_archive.demo.screening import add_demo_screening
    from xinfang_archive.demo.warnings import warning_units

    portal = manager
    generate_cases(portal, 60, seed=5)
    add_demo_screening(portal, seed=5)
    for make in warning_units(portal, seed=5, size=25):
        make()
    warnings = portal["warnings"].objectValues()
    kinds = Counter(w.rule_kind for w in warnings)
    assert kinds["sensitive"], kinds  # the demo's 两会 and 国庆 of each year
    assert api.portal.get_registry_record(f"{PREFIX}.sensitive_periods")
    states = Counter(api.content.get_state(w) for w in warnings)
    assert states["acknowledged"] and states["raised"], states
    assert len({w.occurred_on.year for w in warnings if w.occurred_on}) >= 2
    assert all(
        w.acknowledgement
        for w in warnings
        if api.content.get_state(w) == "acknowledged"
    )


# --- every path, and warnings that follow their case --------------------------------------------


def test_rest_acknowledges_only_with_a_note_and_pages_the_list(
    functional_portal, staff_users, session_for
):
    import transaction

    portal = functional_portal
    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_rules(collective_rules=["big|较大规模集体访|50"])
    for _i in range(2):
        api.content.create(
            container=portal["cases"],
            type="PetitionCase",
            **case_data(
                people_count=60,
                flags={"collective"},
                responsible_unit="JSJ",
                petitioners=petitioner(name=f"信访人{_i}", phone=f"1390000111{_i}"),
            ),
        )
    transaction.commit()
    first, second = sorted(portal["warnings"].objectValues(), key=lambda w: w.created())
    registrar = session_for("registrar")
    refused = registrar.post(
        f"{first.absolute_url()}/@workflow/acknowledge", json={"comment": "  "}
    )
    assert (
        refused.status_code == 400
        and "请填写签收意见" in refused.json()["error"]["message"]
    )
    transaction.begin()
    assert api.content.get_state(first) == "raised" and not first.acknowledged_by
    done = registrar.post(
        f"{first.absolute_url()}/@workflow/acknowledge",
        json={"comment": "已联系属地落实稳控。"},
    )
    assert done.status_code == 200, done.text
    transaction.begin()
    assert api.content.get_state(first) == "acknowledged"
    assert (
        first.acknowledged_by == "registrar"
        and first.acknowledgement == "已联系属地落实稳控。"
    )
    # the list is paged by the catalog once, not twice
    page = registrar.get(
        f"{portal.absolute_url()}/@warnings", params={"b_start": 1, "b_size": 1}
    ).json()
    assert page["items_total"] == 2 and len(page["items"]) == 1
    # no other path acknowledges without a note
    from Products.CMFCore.WorkflowCore import WorkflowException

    with pytest.raises(WorkflowException):
        api.portal.get_tool("portal_workflow").doActionFor(second, "acknowledge")


def test_a_warning_follows_its_case_to_its_unit_and_is_sealed_by_accusation_material(
    portal, new_case, staff
):
    from tests.helpers.archival import add_document
    from tests.helpers.archival import do

    set_rules(collective_rules=["big|较大规模集体访|50"])
    case = new_case(people_count=60, flags={"collective"})  # registered, not routed yet
    (warning,) = flush()
    assert warning.unit is None
    do(case, "accept")
    case.responsible_unit = "JSJ"
    do(case, "assign")
    flush()
    assert warning.unit == "JSJ"
    login(portal, "handler")  # JSJ's staff
    assert api.user.has_permission("View", obj=warning)
    as_manager(portal)
    add_document(case, title="实名举报信", accusation=True)
    flush()
    assert warning.restricted
    login(portal, "handler")
    assert not api.user.has_permission(
        "View", obj=warning
    )  # the unit may be the accused one


def test_a_repeat_on_a_case_sealed_only_by_its_document_is_the_bureaus_alone(
    portal, new_case, staff
):
    from tests.helpers.archival import add_document

    set_rules(repeat_rules=["rp|同一信访人30日内再次信访|petitioner|30"])
    earlier = new_case(
        petitioners=petitioner(id_number=VALID_ID),
        received_date=local_today() - timedelta(days=5),
        responsible_unit="JSJ",
    )
    add_document(
        earlier, title="实名举报信", accusation=True
    )  # its category is not 纪检举报
    flush()
    new_case(petitioners=petitioner(id_number=VALID_ID), responsible_unit="JSJ")
    (warning,) = flush()
    assert warning.restricted
    login(portal, "handler")
    assert not api.user.has_permission("View", obj=warning)


def test_a_second_acknowledgement_on_the_page_says_so(portal, warning, request_):
    from xinfang_archive.earlywarning.acknowledge import acknowledge
    from xinfang_archive.interfaces import IXinfangArchiveLayer
    from zope.interface import alsoProvides

    login(portal, "registrar")
    acknowledge(warning, "已联系属地乡镇落实稳控。")
    alsoProvides(request_, IXinfangArchiveLayer)
    api.content.get_view("acknowledge", warning, request_)()
    assert request_.response.getStatus() == 302
    assert request_.response.getHeader("location") == warning.absolute_url()
