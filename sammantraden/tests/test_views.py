"""The meeting pages: who sees them, what they say, the PDFs, and their query counts."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kunskapsstyrning.models import Decision, State
from sammantraden.models import Meeting, MeetingItem

from .conftest import decide

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(data))
    return reader, " ".join(page.extract_text() for page in reader.pages)


def urls(meeting):
    item = meeting.items.order_by("number").first()
    return {
        "meeting_list": reverse("sammantraden:meeting_list"),
        "meeting_create": reverse("sammantraden:meeting_create"),
        "meeting_detail": reverse("sammantraden:meeting_detail", args=[meeting.pk]),
        "meeting_add": reverse("sammantraden:meeting_add", args=[meeting.pk]),
        "meeting_remove": reverse("sammantraden:meeting_remove", args=[meeting.pk, item.pk]),
        "meeting_decide": reverse("sammantraden:meeting_decide", args=[meeting.pk, item.pk]),
        "meeting_close": reverse("sammantraden:meeting_close", args=[meeting.pk]),
        "meeting_agenda_pdf": reverse("sammantraden:meeting_agenda_pdf", args=[meeting.pk]),
        "meeting_protocol_pdf": reverse("sammantraden:meeting_protocol_pdf", args=[meeting.pk]),
    }


POST_ONLY = {"meeting_remove", "meeting_close"}


# --- The permission triad -----------------------------------------------------------------


def test_every_meeting_page_asks_the_anonymous_to_log_in(client, agenda):
    for name, url in urls(agenda).items():
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code == 405:  # a GET of an action that only takes a POST
                assert name in POST_ONLY and method == client.get, name
                continue
            assert response.status_code == 302, (name, method.__name__)
            assert response.url.startswith("/logga-in/"), name


def test_a_meeting_does_not_exist_outside_its_region(client, agenda, olle, sven, alice):
    # The outsider, another region's strategist, and a chair (who reads her LPO's cases, not
    # the region's meetings): every page of the meeting is 404.
    for person in (olle, sven, alice):
        client.force_login(person)
        for name, url in urls(agenda).items():
            if name in ("meeting_list", "meeting_create"):
                continue
            for method in (client.get, client.post):
                expected = 405 if name in POST_ONLY and method == client.get else 404
                assert method(url).status_code == expected, (person.username, name)


def test_the_list_and_planning_are_not_for_those_without_the_role(client, agenda, olle, maja):
    client.force_login(olle)
    assert client.get(reverse("sammantraden:meeting_list")).status_code == 403
    assert client.get(reverse("sammantraden:meeting_create")).status_code == 403
    client.force_login(maja)
    assert client.get(reverse("sammantraden:meeting_list")).status_code == 200
    assert client.get(reverse("sammantraden:meeting_create")).status_code == 403


def test_management_does_not_set_the_agenda_and_the_strategist_does_not_decide(
    client, agenda, maja, sara
):
    pages = urls(agenda)
    client.force_login(maja)
    assert client.get(pages["meeting_add"]).status_code == 403
    assert client.post(pages["meeting_remove"], {"bekraftat": "1"}).status_code == 403
    client.force_login(sara)
    assert client.get(pages["meeting_decide"]).status_code == 403
    assert client.post(pages["meeting_decide"], {"step": "confirm"}).status_code == 403
    assert agenda.items.count() == 3 and not Decision.objects.exists()


# --- Planning -----------------------------------------------------------------------------


def test_the_strategist_plans_a_meeting_and_adds_the_cases(
    client, sara, bp1_cases, management_body
):
    client.force_login(sara)
    response = client.post(
        reverse("sammantraden:meeting_create"),
        {
            "date": timezone.localdate().isoformat(),
            "deciding_body": management_body.pk,
            "point": "BP1",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("sammantraden:meeting_add", args=[meeting.pk])
    page = html(client.get(response.url))
    for case in bp1_cases:
        assert case.registry_number in page
    response = client.post(response.url, {"cases": [c.pk for c in bp1_cases]})
    assert response.url == reverse("sammantraden:meeting_detail", args=[meeting.pk])
    assert meeting.items.count() == 3


def test_a_past_date_is_told_at_its_field(client, sara, management_body, decision_rules):
    client.force_login(sara)
    yesterday = timezone.localdate() - timedelta(days=1)
    page = html(
        client.post(
            reverse("sammantraden:meeting_create"),
            {"date": yesterday.isoformat(), "deciding_body": management_body.pk, "point": "BP1"},
        )
    )
    assert "Formuläret innehåller fel" in page
    assert "Datumet har passerat" in page
    assert not Meeting.objects.exists()


def test_adding_nothing_is_told_in_the_error_summary(client, sara, meeting, bp1_cases):
    client.force_login(sara)
    page = html(client.post(reverse("sammantraden:meeting_add", args=[meeting.pk]), {}))
    assert "Formuläret innehåller fel" in page and "Välj minst ett ärende." in page


def test_a_case_not_awaiting_the_point_is_told_why(client, sara, meeting, make_case, alice):
    prioritising = make_case("prioritering")
    client.force_login(sara)
    page = html(
        client.post(
            reverse("sammantraden:meeting_add", args=[meeting.pk]), {"cases": [prioritising.pk]}
        )
    )
    assert "Formuläret innehåller fel" in page
    assert f"{prioritising.registry_number} väntar inte på beslut BP1" in page
    assert not MeetingItem.objects.exists()


def test_a_case_outside_the_region_is_404(client, sara, meeting, foreign_case):
    foreign = foreign_case
    client.force_login(sara)
    url = reverse("sammantraden:meeting_add", args=[meeting.pk])
    assert client.post(url, {"cases": [foreign.pk]}).status_code == 404
    for hostile in ("x", "²", "9" * 40):  # "²" is a digit to str.isdigit, not to int
        assert client.post(url, {"cases": [hostile]}).status_code == 404
    assert not MeetingItem.objects.exists()


def test_taking_a_case_off_asks_first(client, sara, agenda):
    item = agenda.items.first()
    client.force_login(sara)
    url = reverse("sammantraden:meeting_remove", args=[agenda.pk, item.pk])
    assert "bekraftat" in html(client.post(url))
    assert agenda.items.count() == 3
    client.post(url, {"bekraftat": "1"})
    assert agenda.items.count() == 2


# --- The sitting ----------------------------------------------------------------------------


def test_management_reads_the_cases_side_by_side_with_their_prioritisation(
    client, maja, agenda, bp1_cases
):
    client.force_login(maja)
    page = html(client.get(reverse("sammantraden:meeting_detail", args=[agenda.pk])))
    assert "Översikt: möjligt och viktigt?" in page
    assert page.count("Är det möjligt?") == 3
    assert page.count("Besluta BP1") == 3
    for case in bp1_cases:
        assert case.registry_number in page


def test_management_decides_in_the_meeting_with_review_then_confirm(client, maja, agenda):
    item = agenda.items.order_by("number").first()
    url = reverse("sammantraden:meeting_decide", args=[agenda.pk, item.pk])
    client.force_login(maja)
    page = html(client.get(url))
    assert "Maja Ledning, HSD" in page  # the meeting's participants, proposed
    fields = {
        "outcome": "bifall",
        "decided_on": timezone.localdate().isoformat(),
        "motivation": "Möjligt och viktigt.",
        "participants": "Maja Ledning, HSD",
        "registry_reference": "HSL 2026/12",
    }
    page = html(client.post(url, {**fields, "step": "review"}))
    assert "Granska beslutet" in page and not Decision.objects.exists()
    response = client.post(url, {**fields, "step": "confirm"})
    assert response.url == reverse("sammantraden:meeting_detail", args=[agenda.pk])
    decision = Decision.objects.get()
    assert decision.registry_reference == "HSL 2026/12"
    item.refresh_from_db()
    assert item.decision == decision and item.case.state == State.GAP_ANALYSIS
    # Deciding it again is told, not done.
    response = client.post(url, {**fields, "step": "confirm"})
    assert Decision.objects.count() == 1


def test_a_case_decided_outside_the_meeting_is_counted_so(client, maja, agenda, bp1_cases):
    """The meeting said "0 av 3 ärenden beslutade" and "–" for a case decided on its own page."""
    from kunskapsstyrning import services as core

    core.case_decide(
        case_id=bp1_cases[0].pk,
        actor=maja,
        point="BP1",
        outcome="bifall",
        decided_on=timezone.localdate(),
        motivation="Brådskande.",
    )
    client.force_login(maja)
    page = client.get(reverse("sammantraden:meeting_detail", args=[agenda.pk])).content.decode()
    assert "0 av 3 ärenden beslutade, 1 beslutat utanför sammanträdet" in page
    assert "<td>Utanför sammanträdet</td>" in page


def test_the_decision_page_waits_for_the_meeting_day(client, maja, agenda):
    Meeting.objects.filter(pk=agenda.pk).update(date=timezone.localdate() + timedelta(days=2))
    item = agenda.items.first()
    client.force_login(maja)
    response = client.get(reverse("sammantraden:meeting_decide", args=[agenda.pk, item.pk]))
    assert response.url == reverse("sammantraden:meeting_detail", args=[agenda.pk])
    page = html(client.get(response.url))
    assert "registreras från den dagen" in page and "Besluta BP1" not in page


def test_the_decision_form_names_a_missing_field(client, maja, agenda):
    item = agenda.items.first()
    client.force_login(maja)
    page = html(
        client.post(
            reverse("sammantraden:meeting_decide", args=[agenda.pk, item.pk]),
            {"step": "review", "decided_on": timezone.localdate().isoformat()},
        )
    )
    assert "Formuläret innehåller fel" in page and "Välj vad som beslutas." in page


def test_the_agenda_pdf_is_archival_and_names_the_cases_and_their_answers(
    client, maja, agenda, bp1_cases
):
    client.force_login(maja)
    reader, text = pdf_text(
        client.get(reverse("sammantraden:meeting_agenda_pdf", args=[agenda.pk]))
    )
    assert reader.xmp_metadata is not None  # PDF/A says so in its XMP packet
    assert "pdfaid:part" in reader.xmp_metadata.rdf_root.toxml()
    for case in bp1_cases:
        assert case.registry_number in text
    assert text.count("Är det möjligt?") == 3
    assert "Dagordning" in text


def test_the_protocol_extract_names_the_decisions_of_the_sitting(client, maja, agenda, bp1_cases):
    client.force_login(maja)
    url = reverse("sammantraden:meeting_protocol_pdf", args=[agenda.pk])
    # Nothing decided yet: nothing to extract.
    assert client.get(url).status_code == 302
    items = list(agenda.items.order_by("number"))
    for item in items[:2]:
        decide(item, maja, registry_reference=f"HSL 2026/{40 + item.number}")
    _reader, text = pdf_text(client.get(url))
    assert "Protokollsutdrag" in text
    assert "HSL 2026/41" in text and "HSL 2026/42" in text
    assert bp1_cases[0].registry_number in text and bp1_cases[2].registry_number not in text
    assert text.count("Godkänt") == 2


def test_closing_asks_first_and_releases_the_undecided(client, sara, agenda):
    client.force_login(sara)
    url = reverse("sammantraden:meeting_close", args=[agenda.pk])
    assert "bekraftat" in html(client.post(url))
    client.post(url, {"bekraftat": "1"})
    agenda.refresh_from_db()
    assert not agenda.is_open and not agenda.items.filter(open=True).exists()


# --- Where the meetings show ------------------------------------------------------------------


def test_the_home_pages_link_to_the_coming_meeting(client, agenda, maja, sara):
    link = reverse("sammantraden:meeting_detail", args=[agenda.pk])
    for person in (maja, sara):
        client.force_login(person)
        page = html(client.get("/"))
        assert "Kommande sammanträden" in page and link in page
    assert "Planera nytt sammanträde" in page  # the strategist's


def test_the_case_page_shows_the_meeting_the_case_is_on(client, agenda, maja, alice, bp1_cases):
    case = bp1_cases[1]
    for person, linked in ((maja, True), (alice, False)):
        client.force_login(person)
        page = html(client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])))
        assert re.search(r"Står på dagordningen för beslut BP1 hos .* § 2", page)
        assert (reverse("sammantraden:meeting_detail", args=[agenda.pk]) in page) is linked


# --- Query counts ---------------------------------------------------------------------------


def count(client, url, django_assert_num_queries, expected):
    client.get(url)  # the session's first request writes its idle-timeout stamp
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# Every logged-in page starts with session, user and the user's unit permissions (3).
def test_the_meeting_page_costs_the_same_for_one_case_and_three(
    client, maja, meeting, bp1_cases, sara, django_assert_num_queries
):
    from sammantraden import services

    client.force_login(maja)
    url = reverse("sammantraden:meeting_detail", args=[meeting.pk])
    # 3 + the meeting with its body and region; its items with case, support, LPO, region,
    # prioritisation and decision; the cases' earlier decisions with their bodies = 6
    services.meeting_add_cases(meeting_id=meeting.pk, actor=sara, case_ids=[bp1_cases[0].pk])
    count(client, url, django_assert_num_queries, 6)
    services.meeting_add_cases(
        meeting_id=meeting.pk, actor=sara, case_ids=[c.pk for c in bp1_cases[1:]]
    )
    decide(meeting.items.first(), maja)
    count(client, url, django_assert_num_queries, 6)


def test_the_other_meeting_pages_are_pinned(client, agenda, maja, sara, django_assert_num_queries):
    pages = urls(agenda)
    client.force_login(sara)
    # 3 + the meetings with their counts
    count(client, pages["meeting_list"], django_assert_num_queries, 4)
    # 3 + the region I coordinate; whether it has only one body (then chosen already); the
    # bodies to choose from
    count(client, pages["meeting_create"], django_assert_num_queries, 6)
    # 3 + the meeting; the candidates; the region's decision rules
    count(client, pages["meeting_add"], django_assert_num_queries, 5)
    client.force_login(maja)
    # 3 + the meeting; the item with its case and material; earlier decisions
    count(client, pages["meeting_decide"], django_assert_num_queries, 6)
