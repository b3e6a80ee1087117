"""The header's search box: cases, remisser and knowledge supports, each within the user's scope."""

from datetime import date

import pytest
from django.urls import reverse

from kunskapsstyrning import services
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory
from remisser.tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def angest(db):
    return KnowledgeSupportFactory(title="Ångest hos vuxna")


def test_the_header_has_a_search_box_on_every_page(client, olle):
    client.force_login(olle)
    page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert 'role="search"' in page and f'action="{reverse("kunskapsstyrning:search")}"' in page


def test_it_finds_cases_remisser_and_supports_typed_in_any_case(
    client, django_assert_num_queries, angest, region, lpo, sara, alice, maja, make_case
):
    ended = make_case("bp1", knowledge_support=angest)
    services.case_decide(  # not adopted: the remiss of a later version opens a new case
        case_id=ended.pk,
        actor=maja,
        point="BP1",
        outcome="avslag",
        decided_on=date(2024, 5, 1),
        motivation="Inte nu.",
    )
    register(sara, region, lpo, angest)
    client.force_login(sara)
    # Queries: the session, the user, the user's scope (its object permissions), one per
    # finder (cases, remisser, knowledge supports), and the idle timeout's session touch
    # (savepoint, update, release). The same at any size: each finder reads at most 20 rows.
    with django_assert_num_queries(9):
        response = client.get(reverse("kunskapsstyrning:search"), {"q": "ÅNGEST"})
    results = {finder.key: hits for finder, hits in response.context["results"]}
    assert [h.title for h in results["cases"]] == ["Ångest hos vuxna"] * 2  # the remiss's case too
    assert [h.title for h in results["remisser"]] == ["Ångest hos vuxna"]
    assert [h.title for h in results["supports"]] == ["Ångest hos vuxna 1.0"]
    assert "3 träffar" not in response.content.decode()  # four: two cases, a round, a support
    assert "4 träffar på ”ÅNGEST”." in response.content.decode()


def test_it_shows_nothing_outside_the_users_scope(client, angest, make_case, alice, sven):
    make_case("prioritering", knowledge_support=angest)
    client.force_login(sven)  # a strategist of another region
    response = client.get(reverse("kunskapsstyrning:search"), {"q": "ångest"})
    results = {finder.key: hits for finder, hits in response.context["results"]}
    assert results["cases"] == [] and results["remisser"] == []
    assert [h.title for h in results["supports"]] == [
        "Ångest hos vuxna 1.0"
    ]  # the catalogue is national


def test_an_empty_search_searches_nothing(client, olle):
    client.force_login(olle)
    response = client.get(reverse("kunskapsstyrning:search"), {"q": "  "})
    assert response.status_code == 200 and response.context["results"] == []


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("kunskapsstyrning:search"), {"q": "x"})
    assert response.status_code == 302 and response.url.startswith("/logga-in/")
