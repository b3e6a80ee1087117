"""What each endpoint shows, its filters, its pages and its query count (flat in the data)."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.tests.conftest import fill_case
from kunskapsstyrning.models import Document

pytestmark = pytest.mark.django_db


def results(api, name, query=""):
    response = api.get(reverse(name) + query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_case_shows_its_registry_number_support_region_lpo_state_and_dates(
    api_as, sara, full_case
):
    [case] = results(api_as(sara), "api:case-list")
    assert case["id"] == full_case.pk
    assert case["registry_number"] == full_case.registry_number
    assert case["knowledge_support"]["title"] == "Hjärtsvikt – nydebuterad"
    assert case["region"]["name"] == "Region Norr"
    assert case["responsible_lpo"]["name"] == "LPO Hjärta"
    assert (case["state"], case["state_label"]) == ("planering", "Planering")
    assert case["joint"] is False and case["municipalities"] == []
    assert case["opened_at"] and case["state_changed_at"]
    assert "due_date" in case


def test_the_case_list_filters_by_state_region_and_support(
    api_as, sara, make_case, full_case, region, other_region
):
    early = make_case("prioritering")
    api = api_as(sara)
    assert {c["id"] for c in results(api, "api:case-list", "?state=prioritering")} == {early.pk}
    assert {c["id"] for c in results(api, "api:case-list", "?state=planering")} == {full_case.pk}
    assert len(results(api, "api:case-list", f"?region={region.pk}")) == 2
    assert results(api, "api:case-list", f"?region={other_region.pk}") == []
    support = full_case.knowledge_support_id  # the early case has one of its own
    assert {c["id"] for c in results(api, "api:case-list", f"?knowledge_support={support}")} == {
        full_case.pk
    }


@pytest.mark.parametrize(
    # "²" is a digit to str.isdigit, not to int
    "query",
    ["?state=okand", "?region=x", "?region=0", "?region=²", "?antal=0", "?antal=x", "?antal=²"],
)
def test_a_wrong_filter_or_page_parameter_is_400_in_swedish(api_as, sara, full_case, query):
    response = api_as(sara).get(reverse("api:case-list") + query)
    assert response.status_code == 400
    message = str(response.json())
    assert any(word in message for word in ("Välj", "Ange", "Ogiltig", "Kontrollera", "heltal")), (
        message
    )


def test_an_unknown_or_misspelt_parameter_is_400_not_ignored(api_as, sara, full_case):
    api = api_as(sara)
    response = api.get(reverse("api:case-list") + "?stat=planering")
    assert response.status_code == 400
    assert response.json()["errors"] == {"stat": ["Okänd parameter."]}
    detail = reverse("api:case-detail", args=[full_case.pk])
    assert api.get(detail + "?state=remiss").status_code == 400
    assert api.get(detail).status_code == 200


def test_a_filter_without_a_value_is_400_not_everything(api_as, sara, full_case):
    api = api_as(sara)
    for query in ("?state=", "?region=%20", "?state=&region="):
        response = api.get(reverse("api:case-list") + query)
        assert response.status_code == 400, query
        assert response.json()["errors"]["state" if "state" in query else "region"] == [
            "Ange ett värde eller utelämna parametern."
        ]
    assert api.get(reverse("api:case-list") + "?cursor=").status_code == 200  # the first page


def test_a_cursor_the_api_did_not_hand_out_is_404(api_as, sara):
    response = api_as(sara).get(reverse("api:case-list") + "?cursor=x")
    assert response.status_code == 404
    assert "sidmarkören" in response.json()["detail"]


def test_decisions_show_point_outcome_body_and_their_documents(api_as, sara, full_case):
    document = Document.objects.filter(case=full_case, decision__point="BP1").get()
    Document.objects.filter(pk=document.pk).update(
        status=Document.Status.READY, size=12345, sha256="a" * 64
    )
    decisions = results(api_as(sara), "api:decision-list", f"?case={full_case.pk}")
    assert [d["point"] for d in decisions] == ["BP1", "BP2"]
    bp1 = decisions[0]
    assert (bp1["outcome"], bp1["outcome_label"]) == ("bifall", "Godkänt")
    assert bp1["decided_on"] == "2024-05-01"
    assert bp1["deciding_body"]["name"] == "Hälso- och sjukvårdsledningen"
    assert bp1["motivation"] == "Underlaget är komplett."
    assert bp1["registry_number"] == full_case.registry_number
    [doc] = bp1["documents"]
    assert (doc["kind"], doc["version"], doc["status"]) == ("beslut_bp1", 1, "klar")
    assert (doc["size"], doc["sha256"]) == (12345, "a" * 64)
    download = f"/arenden/{full_case.pk}/dokument/{document.pk}/"
    assert doc["download_url"] == f"http://testserver{download}"
    # A document not yet rendered has no link and no checksum.
    [pending] = decisions[1]["documents"]
    assert pending["download_url"] is None and pending["sha256"] is None


def test_the_download_link_is_the_pages_own_permission_checked_download(
    client, alice, bob, full_case
):
    document = Document.objects.filter(case=full_case).first()
    url = reverse(
        "kunskapsstyrning:document_download",
        kwargs={"pk": full_case.pk, "document_pk": document.pk},
    )
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_gap_counts_follow_the_rows(api_as, sara, full_case):
    [analysis] = results(api_as(sara), "api:gap-analysis-list", f"?case={full_case.pk}")
    assert analysis["registry_number"] == full_case.registry_number
    assert (analysis["rows"], analysis["assessed"]) == (5, 4)
    assert (analysis["gor_vi"], analysis["delvis"], analysis["gor_vi_inte"]) == (1, 1, 1)
    assert analysis["ej_aktuellt"] == 1


def test_an_indicator_shows_its_measurements(api_as, sara, full_case):
    api = api_as(sara)
    [indicator] = results(api, "api:indicator-list", f"?case={full_case.pk}")
    assert (indicator["code"], indicator["measure"], indicator["period"]) == (
        "L1",
        "andel",
        "manad",
    )
    detail = api.get(reverse("api:indicator-detail", args=[indicator["id"]])).json()
    assert [(m["period_start"], m["numerator"]) for m in detail["measurements"]] == [
        ("2025-01-01", 40),
        ("2025-02-01", 45),
    ]
    measurements = results(api, "api:measurement-list", f"?indicator={indicator['id']}")
    assert [m["period"] for m in measurements] == ["2025-01", "2025-02"]
    assert {m["case"] for m in measurements} == {full_case.pk}


def test_pages_follow_the_cursor_without_gaps_or_repeats(api_as, sara, alice, maja, make_case):
    cases = {make_case("prioritering").pk for _ in range(5)}
    api = api_as(sara)
    seen, url, pages = [], reverse("api:case-list") + "?antal=2", 0
    while url:
        body = api.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert sorted(seen) == seen and set(seen) == cases


def test_the_rate_limit_answers_429_with_retry_after(api_as, sara, monkeypatch):
    from api.throttling import ApiUserRateThrottle

    monkeypatch.setattr(ApiUserRateThrottle, "THROTTLE_RATES", {"user": "3/min"})
    api = api_as(sara)
    statuses = [api.get(reverse("api:support-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(reverse("api:support-list"))
    assert int(response["Retry-After"]) > 0
    assert "För många anrop" in response.json()["detail"]
    assert "sekund" in response.json()["detail"]


# --- Query counts -------------------------------------------------------------------------
# Every list endpoint, the second request of a token (its last use already written this minute),
# its answer not kept:
#   1 the token with its user
#   2 the user's permission scope
#   3 the counters of the regions the user follows (the key of a kept answer)
#   4 the page of objects (scope as a subquery)
#   + one per prefetched relation: recommendations (supports), municipalities (cases),
#     documents (decisions)
LIST_QUERIES = {
    "api:support-list": 5,
    "api:case-list": 5,
    "api:decision-list": 5,
    "api:gap-analysis-list": 4,
    "api:indicator-list": 4,
    "api:measurement-list": 4,
}


def queries_of(api, name):
    api.get(reverse(name))  # the token's last use is written once a minute, not counted here
    cache.clear()  # the answer as after a change: not kept (see test_an_answer_is_kept…)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(reverse(name))
    assert response.status_code == 200
    assert response.json()["results"], f"{name} is empty: its count proves nothing"
    return len(queries)


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_each_list_endpoint_costs_the_same_queries_at_any_size(
    name, api_as, sara, full_case, make_case, django_assert_num_queries
):
    api = api_as(sara)
    small = queries_of(api, name)
    for _ in range(3):
        fill_case(make_case("planering"), sara)
    assert queries_of(api, name) == small == LIST_QUERIES[name]


def test_an_answer_is_kept_until_something_changes_in_the_owners_regions(
    api_as, sara, full_case, django_assert_num_queries
):
    from organisation import changes

    api = api_as(sara)
    first = api.get(reverse("api:case-list")).json()
    with django_assert_num_queries(3):  # the token, the scope, the counters
        assert api.get(reverse("api:case-list")).json() == first
    full_case.due_date = date(2030, 6, 1)
    full_case.save()
    changes.bump([full_case.region_id])  # as the change's request or event does
    due = {c["id"]: c["due_date"] for c in api.get(reverse("api:case-list")).json()["results"]}
    assert due[full_case.pk] == "2030-06-01"


def test_the_measurement_periods_are_named_as_on_the_pages(api_as, sara, full_case):
    from implementering.models import FollowUpIndicator, Measurement, Period

    yearly = FollowUpIndicator.objects.create(
        case=full_case, code="Y1", name="Årligt", period=Period.YEAR, measure="varde"
    )
    Measurement.objects.create(indicator=yearly, period_start=date(2024, 1, 1), value=3)
    periods = [m["period"] for m in results(api_as(sara), "api:measurement-list", "?antal=200")]
    assert "2024" in periods
