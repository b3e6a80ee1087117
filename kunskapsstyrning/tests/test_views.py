"""Pages: the permission triad for each, what each role sees, and pinned query counts."""

from datetime import date

import pytest
from django.urls import reverse

from kunskapsstyrning.models import Case, Decision, Document, State
from kunskapsstyrning.tests.helpers import walk_to

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


@pytest.fixture
def two_cases(make_case, alice, bob, other_lpo, maja):
    """One case of alice's LPO, one of bob's, in the same region."""
    return make_case("prioritering"), make_case("prioritering", responsible_lpo=other_lpo)


# --- Triad: anonymous → login; out of scope → 404; in scope but not allowed → 403 ----------

CASE_PAGES = [
    "case_detail",
    "prioritisation_edit",
    "case_decide",
    "case_supersede",
    "case_deadline",
    "document_status",
]


@pytest.mark.parametrize("name", CASE_PAGES)
def test_case_pages_send_anonymous_visitors_to_the_login(client, case, name):
    response = client.get(reverse(f"kunskapsstyrning:{name}", args=[case.pk]))
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


@pytest.mark.parametrize("name", CASE_PAGES)
def test_case_pages_do_not_exist_for_people_outside_the_scope(client, case, olle, sven, name):
    for person in (olle, sven):
        client.force_login(person)
        assert client.get(reverse(f"kunskapsstyrning:{name}", args=[case.pk])).status_code == 404


def test_a_chair_sees_their_lpos_case_and_not_the_other(client, two_cases, alice):
    mine, theirs = two_cases
    client.force_login(alice)
    assert client.get(reverse("kunskapsstyrning:case_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("kunskapsstyrning:case_detail", args=[theirs.pk])).status_code == 404
    listing = html(client.get(reverse("kunskapsstyrning:case_list")))
    assert mine.registry_number in listing and theirs.registry_number not in listing


def test_the_strategist_sees_every_case_of_the_region_but_not_other_regions(
    client, two_cases, sara, sven
):
    client.force_login(sara)
    listing = html(client.get(reverse("kunskapsstyrning:case_list")))
    assert all(c.registry_number in listing for c in two_cases)
    client.force_login(sven)
    assert "Inga ärenden" in html(client.get(reverse("kunskapsstyrning:case_list")))


def test_a_chair_may_not_decide(client, case, alice):
    case = walk_to(case, State.BP1)
    client.force_login(alice)
    assert client.get(reverse("kunskapsstyrning:case_decide", args=[case.pk])).status_code == 403


def test_a_chair_may_not_supersede_or_register(client, case, alice):
    client.force_login(alice)
    assert client.get(reverse("kunskapsstyrning:case_supersede", args=[case.pk])).status_code == 403
    assert client.get(reverse("kunskapsstyrning:case_register")).status_code == 403


def test_only_decision_makers_have_the_awaiting_decision_page(client, alice, maja):
    client.force_login(alice)
    assert client.get(reverse("kunskapsstyrning:awaiting_decision")).status_code == 403
    client.force_login(maja)
    assert client.get(reverse("kunskapsstyrning:awaiting_decision")).status_code == 200


def test_a_chair_of_another_lpo_cannot_post_an_action(client, case, bob):
    client.force_login(bob)
    response = client.post(reverse("kunskapsstyrning:case_action", args=[case.pk, "submit_bp1"]))
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == State.PRIORITISATION


def test_a_strategist_sees_the_case_but_may_not_fill_the_lpos_form_for_another_region(
    client, case, sven
):
    client.force_login(sven)
    assert (
        client.get(reverse("kunskapsstyrning:prioritisation_edit", args=[case.pk])).status_code
        == 404
    )


# --- Working through the pages ------------------------------------------------------------


def test_the_chair_fills_the_prioritisation_and_gets_errors_in_swedish(client, case, alice):
    client.force_login(alice)
    url = reverse("kunskapsstyrning:prioritisation_edit", args=[case.pk])
    response = client.post(url, {"possible": "kanske"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in html(response)
    response = client.post(
        url,
        {
            "possible": "ja",
            "important": "ja",
            "expected_benefit": "Nytta",
            "consequence_if_not": "Sämre vård",
            "resources": "En LAG",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("kunskapsstyrning:case_action", args=[case.pk, "submit_bp1"]),
        {"state": State.PRIORITISATION},
    )
    assert Case.objects.get(pk=case.pk).state == State.BP1


def test_an_illegal_action_gets_a_clear_message_and_changes_nothing(client, case, alice):
    client.force_login(alice)
    response = client.post(
        reverse("kunskapsstyrning:case_action", args=[case.pk, "submit_bp3"]), follow=True
    )
    assert "Det går inte att skicka till beslut bp3" in html(response)
    assert Case.objects.get(pk=case.pk).state == State.PRIORITISATION


def test_a_decision_is_reviewed_before_it_is_confirmed(client, case, maja):
    case = walk_to(case, State.BP1)
    client.force_login(maja)
    url = reverse("kunskapsstyrning:case_decide", args=[case.pk])
    data = {"outcome": "bifall", "decided_on": "2025-02-03", "motivation": "Viktigt och möjligt."}
    response = client.post(url, {**data, "step": "review"})
    assert "Granska beslutet" in html(response)
    assert not Decision.objects.exists()  # the review saves nothing
    response = client.post(url, {**data, "step": "confirm"})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.point, decision.outcome, decision.decided_by) == ("BP1", "bifall", maja)


def test_a_decision_without_motivation_or_in_the_future_is_refused(client, case, maja):
    case = walk_to(case, State.BP1)
    client.force_login(maja)
    response = client.post(
        reverse("kunskapsstyrning:case_decide", args=[case.pk]),
        {
            "outcome": "bifall",
            "decided_on": "2999-01-01",
            "motivation": "",
            "step": "confirm",
        },
    )
    page = html(response)
    assert "Ett beslut behöver en motivering." in page
    assert "Beslutsdatumet kan inte ligga i framtiden." in page
    assert not Decision.objects.exists()


def test_a_decision_dated_before_the_cases_last_one_is_said_at_its_date_before_the_review(
    client, case, maja
):
    case = walk_to(case, State.BP2)  # BP1 decided 2024-05-01
    client.force_login(maja)
    data = {"outcome": "bifall", "decided_on": "2020-01-01", "motivation": "Komplett."}
    url = reverse("kunskapsstyrning:case_decide", args=[case.pk])
    for step in ("review", "confirm"):
        response = client.post(url, {**data, "step": step})
        assert response.status_code == 200
        assert response.context["form"].errors["decided_on"] == [
            "Beslutsdatumet kan inte ligga före ärendets beslut vid BP1 (godkänt 2024-05-01). "
            "Ange ett datum från och med 2024-05-01."
        ]
        assert "Motivering" in html(response) and "Komplett." in html(response)
    assert not Decision.objects.filter(point="BP2").exists()


def test_a_point_nobody_holds_the_role_to_decide_says_so_on_the_case_page(
    client, make_case, alice, maja, sara
):
    """A case under an LPO without a chair, or a body without management, waited at BP1 for
    ever with nothing said."""
    from organisation.models import Membership

    case = walk_to(make_case("prioritering"), State.BP1)
    client.force_login(sara)
    page = html(client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])))
    assert "Ingen kan besluta" not in page
    Membership.objects.filter(user=maja).update(end_date=date(2024, 1, 2))
    page = html(client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])))
    assert "Ingen kan besluta för" in page and "Regionens administratör ger någon uppdraget" in page


def test_an_administrators_home_leads_to_the_organisation_and_counts_documents_not_ready(
    client, case, office, region, maja
):
    from organisation.models import Role
    from organisation.tests.factories import UserFactory, member

    ada = UserFactory(username="ada", first_name="Ada")
    member(ada, office, Role.ADMINISTRATOR, start_date=date(2024, 1, 1))
    client.force_login(ada)
    page = html(client.get(reverse("kunskapsstyrning:home")))
    assert "Administration" in page and "Alla dokument är klara." in page
    assert reverse("organisation:org_people", args=[region.pk]) in page
    assert reverse("kunskapsstyrning:decision_orders", args=[region.pk]) in page
    case = walk_to(case, State.BP1)
    services_decide(case, maja)  # its document is requested, not made (no commit here)
    page = html(client.get(reverse("kunskapsstyrning:home")))
    assert "1 dokument är inte klart." in page
    client.force_login(maja)  # not an administrator
    assert "h-administration" not in html(client.get(reverse("kunskapsstyrning:home")))


def test_the_case_page_offers_each_person_only_their_own_actions(client, case, alice, sara, maja):
    case = walk_to(case, State.BP1)
    client.force_login(alice)
    assert "Fatta beslut BP1" not in html(
        client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk]))
    )
    client.force_login(maja)
    assert "Fatta beslut BP1" in html(
        client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk]))
    )


def test_the_strategist_registers_a_case_from_the_page(client, sara, lpo, support):
    client.force_login(sara)
    response = client.post(
        reverse("kunskapsstyrning:case_register"),
        {
            "knowledge_support": support.pk,
            "responsible_lpo": lpo.pk,
            "strategist": sara.pk,
            "start_at_remiss": "0",
        },
    )
    case = Case.objects.get()
    assert response.url == reverse("kunskapsstyrning:case_detail", args=[case.pk])
    assert case.state == State.PRIORITISATION


def test_registering_without_choices_explains_what_is_missing(client, sara):
    client.force_login(sara)
    page = html(client.post(reverse("kunskapsstyrning:case_register"), {}))
    assert "Välj vilket kunskapsstöd ärendet gäller." in page
    assert not Case.objects.exists()


def test_the_register_page_offers_only_supports_without_a_case_running(
    client, sara, alice, case, support, lpo
):
    from kunskapsstyrning.tests.factories import KnowledgeSupportFactory

    free = KnowledgeSupportFactory(title="Hjärtsvikt")
    client.force_login(sara)
    register = reverse("kunskapsstyrning:case_register")
    choices = client.get(register).context["form"]["knowledge_support"]
    offered = {str(value) for value, _label in choices.field.choices}
    assert str(free.pk) in offered and str(support.pk) not in offered
    # From the support's page the support is chosen; an address typed by hand chooses nothing.
    detail = html(client.get(reverse("kunskapsstyrning:support_detail", args=[free.pk])))
    assert f"{register}?kunskapsstod={free.pk}" in detail
    response = client.get(f"{register}?kunskapsstod={free.pk}")
    assert f'<option value="{free.pk}" selected>' in html(response)
    for hostile in ("abc", "²", "9" * 40, "-1"):
        assert client.get(f"{register}?kunskapsstod={hostile}").status_code == 200
    # A form filled in before the case was opened is told which case runs, not "not a choice".
    page = html(
        client.post(
            register,
            {
                "knowledge_support": support.pk,
                "responsible_lpo": lpo.pk,
                "strategist": sara.pk,
                "start_at_remiss": "0",
            },
        )
    )
    assert f"Regionen har redan ett pågående ärende för {support}: {case.registry_number}" in page
    assert Case.objects.count() == 1
    # The support with a case running offers no second one; a chair registers none anywhere.
    detail = html(client.get(reverse("kunskapsstyrning:support_detail", args=[support.pk])))
    assert "Registrera ärende för kunskapsstödet" not in detail
    client.force_login(alice)
    detail = html(client.get(reverse("kunskapsstyrning:support_detail", args=[free.pk])))
    assert "Registrera ärende för kunskapsstödet" not in detail


def test_a_ready_document_downloads_with_the_case_permission(
    client, case, maja, alice, bob, django_capture_on_commit_callbacks
):
    case = walk_to(case, State.BP1)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services_decide(case, maja)
    document = Document.objects.get(decision=decision)
    url = reverse("kunskapsstyrning:document_download", args=[case.pk, document.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_tampered_document_is_not_served(
    client, case, maja, alice, django_capture_on_commit_callbacks
):
    case = walk_to(case, State.BP1)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services_decide(case, maja)
    document = Document.objects.get(decision=decision)
    with open(document.file.path, "ab") as handle:
        handle.write(b"tampered")
    client.force_login(alice)
    assert (
        client.get(
            reverse("kunskapsstyrning:document_download", args=[case.pk, document.pk])
        ).status_code
        == 404
    )


def services_decide(case, actor):
    from kunskapsstyrning import services

    return services.case_decide(
        case_id=case.pk,
        actor=actor,
        point=case.awaiting_point,
        outcome="bifall",
        decided_on=date(2025, 1, 1),
        motivation="OK",
    )


def test_management_corrects_a_decision_from_the_case_page(client, case, maja, alice):
    case = walk_to(case, State.BP1)
    decision = services_decide(case, maja)
    url = reverse("kunskapsstyrning:decision_correct", args=[case.pk, decision.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(maja)
    assert "Rätta beslutet" in html(
        client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk]))
    )
    page = html(client.post(url, {"motivation": "Ny text", "reason": ""}))
    assert "Ange varför beslutet rättas." in page
    response = client.post(url, {"motivation": "Ny text", "reason": "Fel diarienummer"})
    assert response.status_code == 302
    assert Decision.objects.filter(corrects=decision).count() == 1
    page = html(client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])))
    assert "Rättat genom ett senare beslut" in page


def test_a_pending_document_polls_and_a_failed_one_can_be_requested_again(
    client, case, maja, sara, alice
):
    case = walk_to(case, State.BP1)
    decision = services_decide(case, maja)  # on_commit never runs here: it stays requested
    document = Document.objects.get(decision=decision)
    client.force_login(alice)
    fragment = html(client.get(reverse("kunskapsstyrning:document_status", args=[case.pk])))
    assert 'hx-trigger="every 2s"' in fragment and "Begärd" in fragment
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.FAILED, failure_reason="Typsnitt saknas"
    )
    fragment = html(client.get(reverse("kunskapsstyrning:document_status", args=[case.pk])))
    assert "hx-trigger" not in fragment and "Typsnitt saknas" in fragment
    assert "Begär igen" not in fragment  # only the strategist may
    rerequest = reverse("kunskapsstyrning:document_rerequest", args=[case.pk, document.pk])
    assert client.post(rerequest).status_code == 403
    client.force_login(sara)
    assert "Begär igen" in html(
        client.get(reverse("kunskapsstyrning:document_status", args=[case.pk]))
    )
    client.post(rerequest)
    assert list(Document.objects.filter(decision=decision).values_list("version", flat=True)) == [
        1,
        2,
    ]


def test_the_board_places_each_visible_case_on_its_station_with_a_link(client, two_cases, alice):
    mine, theirs = two_cases
    client.force_login(alice)
    page = html(client.get(reverse("kunskapsstyrning:board")))
    assert f'href="{reverse("kunskapsstyrning:case_detail", args=[mine.pk])}"' in page
    assert reverse("kunskapsstyrning:case_detail", args=[theirs.pk]) not in page


def test_managements_home_shows_the_regions_portfolio_with_links_to_the_cases(
    client, make_case, alice, maja
):
    from kunskapsstyrning import services

    decided = make_case("bp1")
    services.case_decide(
        case_id=decided.pk,
        actor=maja,
        point="BP1",
        outcome="bifall",
        decided_on=date.today(),  # a decision of maja's body this year
        motivation="Underlaget räcker.",
    )
    make_case("prioritering")
    client.force_login(maja)
    page = html(client.get(reverse("kunskapsstyrning:home")))
    assert 'href="/arenden/?station=fore_bp1"><span class="portfolio-count">1</span>' in page
    assert 'href="/arenden/?station=gap"><span class="portfolio-count">1</span>' in page
    year = date.today().year
    assert f'href="/arenden/?decided_in={year}"><span class="portfolio-count">1</span>' in page
    listing = html(client.get(reverse("kunskapsstyrning:case_list"), {"decided_in": year}))
    assert decided.registry_number in listing
    assert listing.count('<td class="nowrap">') == 1  # only the decided case


def test_the_portfolio_is_for_decision_makers_only(client, case, alice, sara):
    for person in (alice, sara):
        client.force_login(person)
        assert "Regionens kunskapsstöd" not in html(client.get(reverse("kunskapsstyrning:home")))
