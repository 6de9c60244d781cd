"""Nothing unmasked reaches a public channel: page, listing, feed, PDF,
search (Plone's and the archive's) and REST, probed as an anonymous visitor
over HTTP; and the organizer's preview and publication over HTTP."""

from plone import api
from tests.helpers.archival import do
from tests.helpers.cases import case_data
from tests.helpers.hearings import add_transcript
from tests.helpers.hearings import approve
from tests.helpers.hearings import make_hearing
from tests.helpers.hearings import petitioner_row
from tests.helpers.hearings import published_minutes
from tests.helpers.hearings import SECRETS
from tests.helpers.pdf import assert_fonts_embedded
from tests.helpers.pdf import pdf_text

import lxml.etree
import pytest
import re
import transaction


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture()
def published(site):
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(petitioners=[petitioner_row()]),
    )
    hearing, transcript, notice = published_minutes(site, case)
    transcript.signed_scan = None
    transcript.reindexObject()
    transaction.commit()
    return {
        "case": case,
        "hearing": hearing,
        "transcript": transcript,
        "notice": notice,
    }


@pytest.fixture()
def anonymous(request_factory):
    session = request_factory()
    session.headers.update({"Accept-Language": "zh-CN"})
    return session


def assert_clean(text):
    for secret in SECRETS:
        assert secret not in text, secret
    # Nor any other 11-digit mobile number or 18-character ID.
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)


def test_notice_page_listing_and_feed(site, published, anonymous):
    notice = published["notice"]
    page = anonymous.get(notice.absolute_url(), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "王某" in page.text and notice.hearing_number in page.text
    assert_clean(page.text)

    listing = anonymous.get(
        site["hearing-notices"].absolute_url(), headers={"Accept": "text/html"}
    )
    assert listing.status_code == 200
    assert notice.absolute_url() in listing.text
    assert_clean(listing.text)

    feed = anonymous.get(site["hearing-notices"].absolute_url() + "/@@feed")
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    root = lxml.etree.fromstring(feed.content)
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}id").text == notice.absolute_url()
    assert "王某" in entry.find(f"{ATOM}summary").text
    assert_clean(feed.content.decode("utf-8"))


def test_minutes_pdf(site, published, anonymous):
    response = anonymous.get(published["notice"].absolute_url() + "/@@minutes.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert (
        "听证笔录" in text
        and "王某" in text
        and published["notice"].hearing_number in text
    )
    assert_clean(text)
    assert_fonts_embedded(response.content)


def test_rest_serves_the_notice_and_refuses_the_originals(site, published, anonymous):
    anonymous.headers["Accept"] = "application/json"
    notice = anonymous.get(published["notice"].absolute_url())
    assert notice.status_code == 200
    body = notice.json()
    assert body["hearing_number"] == published["notice"].hearing_number
    assert_clean(notice.text)
    for name in ("transcript", "hearing", "case"):
        assert anonymous.get(published[name].absolute_url()).status_code == 401, name
    assert (
        anonymous.get(published["transcript"].absolute_url() + "/@history").status_code
        == 401
    )
    preview = anonymous.get(
        published["transcript"].absolute_url() + "/@@mask-preview",
        headers={"Accept": "text/html"},
        allow_redirects=False,
    )
    assert preview.status_code in (401, 302)
    assert "require_login" in preview.headers.get("Location", "require_login")


def test_search_finds_only_the_masked_notice(site, published, anonymous):
    anonymous.headers["Accept"] = "application/json"
    portal_url = site.absolute_url()
    for query in ("王秀英", "文三路", "13912345678"):
        found = anonymous.get(
            portal_url + "/@search", params={"SearchableText": query}
        ).json()
        assert found["items_total"] == 0, query
        archive = anonymous.get(portal_url + "/@archive-search", params={"q": query})
        assert archive.status_code == 200
        assert archive.json()["items_total"] == 0, query
    found = anonymous.get(
        portal_url + "/@search", params={"SearchableText": "征地补偿"}
    ).json()
    assert {item["@type"] for item in found["items"]} == {"HearingNotice"}
    archive = anonymous.get(portal_url + "/@archive-search", params={"q": "征地补偿"})
    assert [item["uid"] for item in archive.json()["items"]] == [
        published["notice"].UID()
    ]
    assert_clean(archive.text)
    page = anonymous.get(
        portal_url + "/@@search",
        params={"SearchableText": "王秀英"},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200
    for name in ("transcript", "hearing", "case", "notice"):
        assert published[name].absolute_url() not in page.text, name


def test_organizer_previews_and_publishes_over_http(site, session_for, staff_users):
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(petitioners=[petitioner_row()]),
    )
    hearing = make_hearing(site, [case])
    do(hearing, "hold")
    transcript = add_transcript(hearing)
    approve(transcript)
    transaction.commit()
    organizer = session_for("organizer")
    organizer.headers["Accept"] = "text/html"
    url = transcript.absolute_url() + "/@@mask-preview"
    page = organizer.get(url)
    assert page.status_code == 200
    assert 'value="name:王秀英"' in page.text and "王某" in page.text
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)

    # Without the CSRF token nothing is saved or published.
    refused = organizer.post(
        url, data={"form.publish": "1", "shown:list": ["plate:浙A12345"]}
    )
    assert refused.status_code == 403
    transaction.begin()
    assert api.content.get_state(transcript) == "approved"

    keys = re.findall(r'name="shown:list" value="([^"]+)"', page.text)
    shown = re.search(r'name="shown_digest" value="([^"]+)"', page.text).group(1)

    # A page shown before the parties changed cannot approve their masks.
    transaction.begin()
    hearing.parties = [
        *hearing.parties,
        {
            "name": "孙丽华",
            "role": "witness",
            "organisation": None,
            "address": None,
            "private": True,
        },
    ]
    transaction.commit()
    stale = organizer.post(
        url,
        data={
            "_authenticator": token,
            "shown_digest": shown,
            "form.publish": "1",
            "shown:list": keys,
            "apply:list": keys,
        },
    )
    assert stale.status_code == 409
    transaction.begin()
    assert (
        api.content.get_state(transcript) == "approved"
        and not transcript.mask_review_digest
    )
    page = organizer.get(url)
    keys = re.findall(r'name="shown:list" value="([^"]+)"', page.text)
    shown = re.search(r'name="shown_digest" value="([^"]+)"', page.text).group(1)
    applied = [key for key in keys if key != "plate:浙A12345"]
    answer = organizer.post(
        url,
        data={
            "_authenticator": token,
            "shown_digest": shown,
            "form.publish": "1",
            "shown:list": keys,
            "apply:list": applied,
            "additions": "听证室",
        },
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:2000]
    transaction.begin()
    assert api.content.get_state(transcript) == "published"
    notice = site["hearing-notices"][hearing.getId()]
    assert answer.headers["Location"] == notice.absolute_url()
    assert transcript.mask_exclusions == ["plate:浙A12345"]
    assert transcript.mask_reviewed_by == "organizer"
    text = " ".join(t["text"] for t in notice.turns)
    assert "浙A12345" in text and "王秀英" not in text


def test_rest_publish_is_refused_with_reasons(site, session_for, staff_users):
    case = api.content.create(
        container=site["cases"],
        type="PetitionCase",
        **case_data(petitioners=[petitioner_row()]),
    )
    hearing = make_hearing(site, [case], public=False)
    transcript = add_transcript(hearing)
    approve(transcript)
    transaction.commit()
    organizer = session_for("organizer")
    answer = organizer.post(transcript.absolute_url() + "/@workflow/publish")
    assert answer.status_code == 400
    problems = answer.json()["error"]["problems"]
    assert any("不公开" in p for p in problems) and any("遮蔽" in p for p in problems)
    transaction.begin()
    assert api.content.get_state(transcript) == "approved"
    assert len(site["hearing-notices"].objectIds()) == 0
    # Sending back for changes is an ordinary transition.
    assert (
        organizer.post(transcript.absolute_url() + "/@workflow/send_back").status_code
        == 200
    )


def test_staff_without_personal_data_read_hearings_masked(
    site, published, session_for, staff_users
):
    """Inspector, archivist and hearing organizer lack "View personal data":
    the hearing's parties and what was said are masked on the pages, in REST
    and in @querystring-search's full objects; the registrar reads them."""
    import json

    hearing, transcript = published["hearing"], published["transcript"]
    personal = ("文三路", "13912345678", "110101199003074514")
    for user in ("inspector", "archivist", "organizer"):
        session = session_for(user)
        texts = []
        for obj in (hearing, transcript):
            body = session.get(obj.absolute_url())
            assert body.status_code == 200, (user, obj)
            texts.append(json.dumps(body.json(), ensure_ascii=False))
            page = session.get(obj.absolute_url(), headers={"Accept": "text/html"})
            assert page.status_code == 200, (user, obj)
            texts.append(page.text)
        found = session.post(
            "/@querystring-search",
            json={
                "query": [
                    {
                        "i": "portal_type",
                        "o": "plone.app.querystring.operation.selection.any",
                        "v": ["Hearing", "HearingTranscript"],
                    }
                ],
                "fullobjects": 1,
            },
        )
        assert found.json()["items_total"] >= 2, user
        assert any(item.get("turns") for item in found.json()["items"]), (
            user
        )  # full objects
        texts.append(json.dumps(found.json(), ensure_ascii=False))
        text = "\n".join(texts)
        for secret in personal:
            assert secret not in text, (user, secret)
        assert "王秀英" in text  # names are not personal data for staff
    registrar = session_for("registrar").get(transcript.absolute_url()).json()
    assert "13912345678" in json.dumps(registrar, ensure_ascii=False)
