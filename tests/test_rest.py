"""plone.restapi on cases: create, read (masked), update, @workflow, @history, bad input."""

from plone import api
from tests.helpers.cases import case_json
from tests.helpers.cases import VALID_ID
from xinfang_archive.localtime import local_today

import transaction


def count_cases(portal):
    return len(
        api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
            portal_type="PetitionCase"
        )
    )


def create(session, **overrides):
    return session.post("/cases", json=case_json(**overrides))


def test_registrar_creates_case_with_number(functional_portal, session_for):
    response = create(session_for("registrar"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["registration_number"].startswith("XF-")
    assert body["@id"].endswith("/cases/" + body["registration_number"].lower())
    assert body["review_state"] == "registered"
    assert body["statutory_clock"]["kind"] == "accept"
    assert body["statutory_clock"]["days_left"] == 12


def test_personal_data_masked_for_inspector_not_for_handler(
    functional_portal, session_for
):
    url = create(session_for("registrar"), responsible_unit="JSJ").json()[
        "@id"
    ]  # the handler's unit
    inspector = session_for("inspector").get(url).json()
    (row,) = inspector["petitioners"]
    assert row["id_number"] == "110101********4514"
    assert row["phone"] == "138****5678"
    assert "文三路" not in row["address"]
    assert row["name"] == "张三"
    assert inspector["personal_data_masked"] is True
    assert VALID_ID not in session_for("inspector").get(url).text

    handler = session_for("handler").get(url).json()
    assert handler["petitioners"][0]["id_number"] == VALID_ID
    assert handler["personal_data_masked"] is False


def test_masking_applies_to_old_versions(functional_portal, session_for):
    registrar = session_for("registrar")
    url = create(registrar).json()["@id"]
    assert (
        registrar.patch(url, json={"summary": "补充：涉及三户村民。"}).status_code
        == 204
    )
    inspector = session_for("inspector")
    history = inspector.get(url + "/@history").json()
    versions = [h for h in history if h.get("type") == "versioning"]
    assert len(versions) >= 2
    old = inspector.get(url + "/@history/0").json()
    assert old["petitioners"][0]["id_number"] == "110101********4514"


def test_invalid_id_number_is_refused_in_chinese_and_nothing_saved(
    functional_portal, session_for
):
    before = count_cases(functional_portal)
    bad = case_json()["petitioners"]
    bad[0]["id_number"] = "110101199003074515"  # wrong check digit
    response = session_for("registrar").post(
        "/cases", json={**case_json(), "petitioners": bad}
    )
    assert response.status_code == 400
    assert "身份证" in response.json()["message"]
    transaction.begin()
    assert count_cases(functional_portal) == before


def test_more_than_five_representatives_refused(functional_portal, session_for):
    before = count_cases(functional_portal)
    rows = [
        {
            "name": f"代表{i}",
            "id_number": "",
            "phone": "",
            "address": "",
            "representative": True,
        }
        for i in range(6)
    ]
    response = create(
        session_for("registrar"),
        petitioners=rows,
        people_count=30,
        flags={"collective"},
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "5" in message and "代表" in message
    transaction.begin()
    assert count_cases(functional_portal) == before


def test_future_received_date_refused(functional_portal, session_for):
    from datetime import timedelta

    response = create(
        session_for("registrar"), received_date=local_today() + timedelta(days=2)
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert "日期" in message and ("未来" in message or "晚于" in message)


def test_workflow_refusal_says_why(functional_portal, session_for):
    registrar = session_for("registrar")
    url = create(registrar).json()["@id"]

    out_of_order = registrar.post(url + "/@workflow/reply")
    assert out_of_order.status_code == 400
    assert out_of_order.json()["error"]["type"] == "TransitionRefused"

    reject = registrar.post(url + "/@workflow/reject")
    assert reject.status_code == 400
    assert "不予受理告知书" in reject.json()["error"]["message"]

    assert registrar.post(url + "/@workflow/accept").status_code == 200
    no_unit = registrar.post(url + "/@workflow/assign")
    assert no_unit.status_code == 400
    assert registrar.patch(url, json={"responsible_unit": "JSJ"}).status_code == 204
    assert registrar.post(url + "/@workflow/assign").status_code == 200
    assert registrar.get(url).json()["review_state"] == "in_progress"


def test_extension_through_workflow_endpoint(functional_portal, session_for):
    registrar = session_for("registrar")
    url = create(registrar).json()["@id"]
    registrar.post(url + "/@workflow/accept")
    registrar.patch(url, json={"responsible_unit": "JSJ"})
    registrar.post(url + "/@workflow/assign")
    handler = session_for("handler")
    too_long = handler.post(
        url + "/@workflow/extend",
        json={
            "extension_days": 45,
            "extension_reason": "补充调查",
            "extension_approved_by": "王局长",
        },
    )
    assert too_long.status_code == 400
    assert "30" in too_long.json()["error"]["message"]
    transaction.begin()
    case = functional_portal.unrestrictedTraverse("cases/" + url.rsplit("/", 1)[-1])
    assert case.extension_days is None  # the refused request left nothing behind
    ok = handler.post(
        url + "/@workflow/extend",
        json={
            "extension_days": 20,
            "extension_reason": "补充调查",
            "extension_approved_by": "王局长",
        },
    )
    assert ok.status_code == 200, ok.text
    clock = handler.get(url).json()["statutory_clock"]
    assert clock["kind"] == "handle"
    assert clock["days_left"] == 80


def test_inspector_cannot_edit_or_transition(functional_portal, session_for):
    url = create(session_for("registrar")).json()["@id"]
    inspector = session_for("inspector")
    assert inspector.patch(url, json={"title": "改"}).status_code in (401, 403)
    assert inspector.post(url + "/@workflow/accept").status_code in (400, 401, 403)
    assert session_for("registrar").get(url).json()["review_state"] == "registered"


def test_petitioner_matches(functional_portal, session_for):
    registrar = session_for("registrar")
    first = create(registrar).json()
    second = create(registrar, title="再次反映补偿问题").json()
    found = registrar.get(second["@id"] + "/@petitioner-matches").json()
    assert first["registration_number"] in [
        i["registration_number"] for i in found["items"]
    ]
    by_id = registrar.get(
        "/cases/@petitioner-matches", params={"id_number": VALID_ID}
    ).json()
    assert by_id["items_total"] >= 2
    assert session_for("inspector").get(
        second["@id"] + "/@petitioner-matches"
    ).status_code in (401, 403)


def test_documents_replies_and_supervisions_over_rest(functional_portal, session_for):
    import base64

    registrar = session_for("registrar")
    url = create(registrar).json()["@id"]
    document = registrar.post(
        url,
        json={
            "@type": "CaseDocument",
            "title": "来信原件",
            "responsible": "张三",
            "document_date": "2024-03-01",
            "classification": "internal",
            "pages": 2,
            "file": {
                "data": base64.b64encode("来信内容".encode()).decode(),
                "encoding": "base64",
                "filename": "letter.txt",
                "content-type": "text/plain",
            },
        },
    )
    assert document.status_code == 201, document.text
    reply = registrar.post(
        url,
        json={
            "@type": "Reply",
            "kind": "acceptance_notice",
            "document_number": "X信〔2024〕3号",
            "reply_date": "2024-03-05",
        },
    )
    assert reply.status_code == 201, reply.text
    titles = [item["title"] for item in registrar.get(url).json()["items"]]
    assert "受理告知书 X信〔2024〕3号" in titles
    opinion_without_outcome = registrar.post(
        url,
        json={
            "@type": "Reply",
            "kind": "handling_opinion",
            "document_number": "X信〔2024〕4号",
            "reply_date": "2024-03-05",
        },
    )
    assert opinion_without_outcome.status_code == 400
    supervision = registrar.post(
        url,
        json={
            "@type": "Supervision",
            "method": "phone",
            "issued_by": "督查室",
            "issued_on": "2024-03-01",
            "due_date": "2024-03-10",
        },
    )
    assert supervision.status_code == 201, supervision.text

    doc_url = document.json()["@id"]
    assert registrar.patch(doc_url, json={"pages": 3}).status_code == 204
    history = registrar.get(doc_url + "/@history").json()
    assert len([h for h in history if h.get("type") == "versioning"]) == 2
    assert registrar.get(doc_url + "/@@download/file").content == "来信内容".encode()


def test_impossible_date_refused(functional_portal, session_for):
    before = count_cases(functional_portal)
    response = session_for("registrar").post(
        "/cases", json={**case_json(), "received_date": "2024-02-30"}
    )
    assert response.status_code == 400
    transaction.begin()
    assert count_cases(functional_portal) == before


def test_search_results_are_masked_too(functional_portal, session_for):
    create(session_for("registrar"))
    inspector = session_for("inspector")
    full = inspector.get(
        "/@search", params={"portal_type": "PetitionCase", "fullobjects": 1}
    )
    assert full.status_code == 200
    assert full.json()["items_total"] >= 1
    assert VALID_ID not in full.text and "13812345678" not in full.text
    assert "110101********4514" in full.text
    found = inspector.get("/@search", params={"SearchableText": "13812345678"}).json()
    assert found["items_total"] == 0


def test_assign_with_unit_and_handler_in_one_request(functional_portal, session_for):
    registrar = session_for("registrar")
    url = create(registrar).json()["@id"]
    registrar.post(url + "/@workflow/accept")
    unknown = registrar.post(
        url + "/@workflow/assign", json={"responsible_unit": "NOPE"}
    )
    assert unknown.status_code == 400
    ok = registrar.post(
        url + "/@workflow/assign",
        json={"responsible_unit": "JSJ", "case_handler": "handler"},
    )
    assert ok.status_code == 200, ok.text
    body = registrar.get(url).json()
    assert body["review_state"] == "in_progress"
    assert body["case_handler"]["token"] == "handler"
    assert body["responsible_unit"]["token"] == "JSJ"


def test_cookie_login_writes_need_json_or_this_sites_origin(
    functional_portal, session_for, request_factory
):
    """A foreign page's simple request (text/plain, with the login cookie)
    does not reach a service; JSON, or the site's own origin, does."""
    from tests.helpers.staff import STAFF_PASSWORD

    url = create(session_for("registrar")).json()["@id"]
    portal_url = functional_portal.absolute_url()
    browser = request_factory(api=False)
    browser.headers.pop("Accept", None)
    browser.post(
        f"{portal_url}/login",
        data={
            "__ac_name": "registrar",
            "__ac_password": STAFF_PASSWORD,
            "buttons.login": "Log in",
        },
    )
    assert "__ac" in browser.cookies
    api_url = url.replace(portal_url, portal_url + "/++api++")
    foreign = browser.post(
        f"{api_url}/@workflow/accept",
        data="x",
        headers={
            "Content-Type": "text/plain",
            "Origin": "http://evil.example",
            "Accept": "application/json",
        },
    )
    assert foreign.status_code == 403, foreign.text
    assert "JSON" in foreign.text
    for kind in (
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
    ):
        refused = browser.post(
            f"{api_url}/@workflow/accept",
            data="x",
            headers={"Content-Type": kind, "Accept": "application/json"},
        )
        assert refused.status_code in (400, 403), (
            kind
        )  # a broken multipart body fails earlier
    transaction.begin()
    case = functional_portal.unrestrictedTraverse(url[len(portal_url) + 1 :])
    assert api.content.get_state(case) == "registered"
    accepted = browser.post(
        f"{api_url}/@workflow/accept",
        json={},
        headers={"Accept": "application/json", "Origin": "http://evil.example"},
    )
    assert accepted.status_code == 200, (
        accepted.text
    )  # JSON: a foreign page would need CORS first
    # header credentials are not cookies: basic auth is not affected
    with_header = session_for("registrar").post(
        url + "/@workflow/assign", data="x", headers={"Content-Type": "text/plain"}
    )
    assert with_header.status_code != 403 and "Forbidden" not in with_header.text


def test_rest_adds_follow_the_matrix(functional_portal, session_for):
    """A registrar adds a document to a case in 办理中 (the matrix allows it,
    as ++add++ does); a handler adds one too; the inspector may not."""
    import base64

    url = create(session_for("registrar")).json()["@id"]
    admin = session_for("admin")
    assert admin.post(url + "/@workflow/accept").status_code == 200
    assert (
        admin.post(
            url + "/@workflow/assign", json={"responsible_unit": "JSJ"}
        ).status_code
        == 200
    )

    def document(title, **extra):
        return {
            "@type": "CaseDocument",
            "title": title,
            "responsible": "住建局",
            "document_date": "2024-05-01",
            "classification": "internal",
            **extra,
            "file": {
                "data": base64.b64encode(b"%PDF-1.4 x").decode(),
                "encoding": "base64",
                "filename": "a.pdf",
                "content-type": "application/pdf",
            },
        }

    added = session_for("registrar").post(url, json=document("补充材料"))
    assert added.status_code == 201, added.text
    flagged = session_for("registrar").post(
        url, json=document("举报信", accusation=True)
    )
    assert flagged.status_code == 201, flagged.text
    assert (
        session_for("handler").post(url, json=document("调查笔录")).status_code == 201
    )
    assert session_for("inspector").post(
        url, json=document("督查意见")
    ).status_code in (401, 403)
    history = session_for("registrar").get(added.json()["@id"] + "/@history").json()
    assert any(h.get("type") == "versioning" for h in history)


def test_wrong_json_types_get_a_400_in_chinese_and_nothing_is_saved(
    functional_portal, session_for
):
    before = count_cases(functional_portal)
    registrar = session_for("registrar")
    for bad in (
        {"petitioners": "张三"},
        {"petitioners": ["张三"]},
        {"category": ["land"]},
        {"category": {"a": 1}},
    ):
        response = registrar.post("/cases", json={**case_json(), **bad})
        assert response.status_code == 400, (bad, response.text)
        assert any("\u4e00" <= c <= "\u9fff" for c in response.json()["message"]), (
            response.text
        )
    transaction.begin()
    assert count_cases(functional_portal) == before


def test_search_parameters_that_are_not_utf8_get_a_400(functional_portal, session_for):
    from tests.helpers.staff import STAFF_PASSWORD

    import requests

    base = functional_portal.absolute_url()
    auth = ("inspector", STAFF_PASSWORD)
    for path in (
        "/@archive-search?q=%FF%FE",
        "/@archive-search?category=%FF",
        "/@archive-search?q=a&q=b",
    ):
        response = requests.get(
            base + path, auth=auth, headers={"Accept": "application/json"}
        )
        assert response.status_code == 400, (path, response.text)
        assert (
            "UTF-8" in response.json()["error"]["message"]
            or "单个" in response.json()["error"]["message"]
        )
    page = requests.get(base + "/@@archive-search?q=%FF%FE", auth=auth)
    assert page.status_code == 400 and "UTF-8" in page.text


def test_numbers_typed_into_free_text_are_masked_and_not_in_the_catalog(
    functional_portal, session_for
):
    """An ID number and a phone typed into the summary and the request are
    shown masked to the inspector (page and REST), in clear to the registrar,
    and Plone's own search cannot find the case by them."""
    phone, id_number = "13912345678", VALID_ID
    url = create(
        session_for("registrar"),
        summary=f"来访人身份证{id_number}，电话{phone}。",
        request=f"请回电 {phone}",
    ).json()["@id"]
    inspector = session_for("inspector")
    body = inspector.get(url).json()
    for name in ("summary", "request"):
        assert phone not in body[name] and id_number not in body[name], name
    assert "来访人身份证" in body["summary"]
    page = inspector.get(url, headers={"Accept": "text/html"}).text
    assert phone not in page and id_number not in page
    assert session_for("registrar").get(url).json()["request"] == f"请回电 {phone}"
    for number in (phone, id_number):
        found = (
            session_for("admin")
            .get("/@search", params={"SearchableText": number})
            .json()
        )
        assert found["items_total"] == 0, number


def test_text_fields_have_maximum_lengths_with_clear_messages(
    functional_portal, session_for
):
    """A 1 MB title or a 60-character name is refused with a message in
    Chinese naming the limit, and nothing is saved."""
    before = count_cases(functional_portal)
    registrar = session_for("registrar")
    long_name = case_json()["petitioners"]
    long_name[0]["name"] = "张" * 60
    for bad in (
        {"title": "事" * 1_000_000},
        {"petitioners": long_name},
        {"summary": "述" * 20_001},
    ):
        response = registrar.post("/cases", json={**case_json(), **bad})
        assert response.status_code == 400, (list(bad), response.status_code)
        assert "过长" in response.json()["message"], response.text[:300]
    transaction.begin()
    assert count_cases(functional_portal) == before
    assert (
        registrar.post("/cases", json={**case_json(), "title": "事" * 200}).status_code
        == 201
    )


def test_the_raw_webdav_dump_needs_view_personal_data(functional_portal, session_for):
    """plone.dexterity's ``manage_FTPget`` / ``manage_DAVget`` write every
    field in clear: the inspector (View, no personal data) is refused them,
    the unit's handler reads them."""
    url = create(session_for("registrar"), responsible_unit="JSJ").json()["@id"]
    for method in ("manage_FTPget", "manage_DAVget"):
        refused = session_for("inspector").get(
            f"{url}/{method}", headers={"Accept": "text/plain"}, allow_redirects=False
        )
        assert (
            refused.status_code == 401 or "require_login" in refused.headers["Location"]
        ), method
        assert VALID_ID not in refused.text
        shown = session_for("handler").get(
            f"{url}/{method}", headers={"Accept": "text/plain"}
        )
        assert shown.status_code == 200 and "registration_number: XF-" in shown.text, (
            method
        )
