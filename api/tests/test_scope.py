"""The IDOR walk of the API: every route, every persona. A token sees exactly what its owner
sees on the pages; an id outside that is 404, never 403, and no list shows it.

A new route in the `api` namespace fails `test_every_api_route_is_walked` until it is added
below (or to the pages, which have their own triad in test_pages.py).
"""

import pytest
from django.urls import reverse

from gapanalys.models import GapAnalysis
from implementering.models import FollowUpIndicator, Measurement
from kunskapsstyrning.models import Decision
from tests.test_url_permissions import fill, product_patterns

pytestmark = pytest.mark.django_db

# The HTML pages of the API app: the guide, the token page and its removal, the schema.
PAGES = {"api:guide", "api:tokens", "api:token_delete", "api:schema"}
# Anything else under /api/v1/ (a JSON 404, tested below).
FALLBACK = {"api:not_found"}


def objects_of(case):
    """{endpoint basename: the ids of `case`'s objects behind it}."""
    return {
        "case": {case.pk},
        "decision": set(Decision.objects.filter(case=case).values_list("pk", flat=True)),
        "gap-analysis": set(GapAnalysis.objects.filter(case=case).values_list("pk", flat=True)),
        "indicator": set(FollowUpIndicator.objects.filter(case=case).values_list("pk", flat=True)),
        "measurement": set(
            Measurement.objects.filter(indicator__case=case).values_list("pk", flat=True)
        ),
    }


SCOPED = ["case", "decision", "gap-analysis", "indicator", "measurement"]


def api_routes():
    return {name for name, _route, _p in product_patterns() if name.startswith("api:")}


def test_every_api_route_is_walked():
    walked = {
        f"api:{basename}-{kind}" for basename in [*SCOPED, "support"] for kind in ("list", "detail")
    }
    assert api_routes() == walked | PAGES | FALLBACK


def test_no_endpoint_answers_without_a_key(client, full_case):
    answered = []
    for name, route, _pattern in product_patterns():
        if name in PAGES | FALLBACK or not name.startswith("api:"):
            continue
        path = fill(route, full_case.pk)
        response = client.get(path)
        if response.status_code != 401 or "results" in response.json():
            answered.append((path, response.status_code))
    assert not answered


def test_the_walk_has_something_behind_every_endpoint(full_case, foreign_case):
    for case in (full_case, foreign_case):
        for basename, ids in objects_of(case).items():
            assert ids, f"{basename} of {case} is empty: the walk would prove nothing"


def _ids(api, basename):
    """Every id of a list, following the cursor."""
    found, url = set(), reverse(f"api:{basename}-list")
    while url:
        response = api.get(url)
        assert response.status_code == 200, (url, response.content)
        body = response.json()
        found |= {item["id"] for item in body["results"]}
        url = body["next"]
    return found


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("alice", "own"),  # chair of the case's LPO
        ("sara", "own"),  # strategist of the region
        ("maja", "own"),  # management of the region
        ("bob", "none"),  # chair of another LPO in the region
        ("olle", "none"),  # logged in, no role
        ("sven", "foreign"),  # strategist of the other region
    ],
)
def test_each_persona_reaches_exactly_their_scope(
    request, api_as, full_case, foreign_case, persona, sees
):
    api = api_as(request.getfixturevalue(persona))
    own, foreign = objects_of(full_case), objects_of(foreign_case)
    expected = {"own": own, "foreign": foreign, "none": {b: set() for b in SCOPED}}[sees]
    reached = []
    for basename in SCOPED:
        listed = _ids(api, basename)
        assert listed == expected[basename], (basename, listed)
        for pk in own[basename] | foreign[basename]:
            response = api.get(reverse(f"api:{basename}-detail", args=[pk]))
            if pk in expected[basename]:
                if response.status_code != 200 or response.json()["id"] != pk:
                    reached.append((basename, pk, response.status_code, "not shown"))
            # Outside the scope reads exactly like an id that does not exist.
            elif response.status_code != 404 or response.json() != {"detail": "Finns inte."}:
                reached.append((basename, pk, response.status_code, response.content[:80]))
    assert not reached


def test_an_id_that_does_not_exist_is_404_like_one_outside_the_scope(api_as, sara, full_case):
    api = api_as(sara)
    for basename in [*SCOPED, "support"]:
        for pk in (999_999_999, 2**63, "x", "1.5", -1):
            # Built by hand: "1.5" does not even match the route (the fallback answers).
            url = reverse(f"api:{basename}-detail", args=[1]).replace("/1/", f"/{pk}/")
            response = api.get(url)
            assert response.status_code == 404, (basename, pk)
            assert response.json() == {"detail": "Finns inte."}


def test_the_catalogue_is_open_to_everyone_signed_in(api_as, olle, support):
    api = api_as(olle)
    assert _ids(api, "support") == {support.pk}
    detail = api.get(reverse("api:support-detail", args=[support.pk])).json()
    assert [r["number"] for r in detail["recommendations"]] == [1, 2, 3, 4, 5]


def test_a_filter_never_widens_the_scope(api_as, bob, full_case, foreign_case):
    api = api_as(bob)
    for query in (
        f"?region={full_case.region_id}",
        f"?knowledge_support={full_case.knowledge_support_id}",
        f"?responsible_lpo={full_case.responsible_lpo_id}",
    ):
        assert api.get(reverse("api:case-list") + query).json()["results"] == []
    assert api.get(reverse("api:decision-list") + f"?case={full_case.pk}").json()["results"] == []
