"""The national overview and the cross-region page: each region shows what it shares, and
nothing more (issue 16)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from gapanalys.models import GapRow
from gapanalys.tests.conftest import assess_all
from kunskapsstyrning.models import Case
from nationellt.models import RegionSharing
from nationellt.services import sharing_save
from nationellt.tests.fixtures import PRIVATE_ACTIVITY, PRIVATE_PRACTICE, PRIVATE_PROPOSAL
from organisation.models import Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


@pytest.fixture
def north(make_case, alice, maja, lars, lag, recommendations):
    """Region Norr's case, walked into the gap analysis and assessed through the services."""
    from gapanalys import services as gap_services

    case = make_case("gapanalys")
    analysis = gap_services.lag_form(
        case_id=case.pk, actor=alice, lag=lag, process_leader=lars, due_date=date(2030, 1, 1)
    )
    assess_all(analysis, lars, proposal="Norrs förslag.")
    return case


@pytest.fixture
def north_shares_all(region):
    return RegionSharing.objects.create(
        region=region, share_analysis=True, share_plan=True, share_indicators=True, public=True
    )


def test_the_overview_shows_every_region_to_a_signed_in_user(client, north, south, sven):
    client.force_login(sven)
    page = html(client.get(reverse("nationellt:overview")))
    assert "Region Norr" in page and "Region Syd" in page
    assert "BP1 – gap-analys pågår" in page and "Före BP1" in page


def test_the_public_sees_only_regions_that_chose_to_be_seen(client, north, south, north_shares_all):
    page = html(client.get(reverse("nationellt:overview")))
    assert "Region Norr" in page and "Region Syd" not in page
    RegionSharing.objects.filter(pk=north_shares_all.pk).update(public=False)
    page = html(client.get(reverse("nationellt:overview")))
    assert "Region Norr" not in page and "Ingen region visar" in page


def test_the_rendered_lists_follow_what_changes(client, north, south, sven, support):
    """The overview's list and the support page's tables are cached on what they show: a case
    that moves and a row assessed anew show at once."""
    client.force_login(sven)
    overview = reverse("nationellt:overview")
    assert "BP1 – gap-analys pågår" in html(client.get(overview))
    Case.objects.filter(pk=north.pk).update(state="uppfoljning")
    assert "BP1 – gap-analys pågår" not in html(client.get(overview))

    page = reverse("nationellt:support", args=[support.pk])
    before = html(client.get(page))
    row = GapRow.objects.filter(analysis__case=north).exclude(current_state="").first()
    GapRow.objects.filter(pk=row.pk).update(current_state="ej_aktuellt")
    assert html(client.get(page)) != before


def test_the_overview_search_ignores_case(client, north, sven, support):
    client.force_login(sven)
    found = html(client.get(reverse("nationellt:overview"), {"q": support.title.upper()}))
    assert support.title in found
    missing = html(client.get(reverse("nationellt:overview"), {"q": "finns inte"}))
    assert "Inget kunskapsstöd matchar" in missing


def test_the_cross_region_page_needs_a_login(client, support):
    response = client.get(reverse("nationellt:support", args=[support.pk]))
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


def test_the_cross_region_page_tallies_every_region_and_shows_only_what_each_shares(
    client, north, south, north_shares_all, sven, support
):
    client.force_login(sven)
    page = html(client.get(reverse("nationellt:support", args=[support.pk])))
    # Stations, dates and counts of both regions: Norr passed BP1 on the walk's date.
    assert "Region Norr" in page and "Region Syd" in page
    assert north.decisions.get(point="BP1").decided_on.isoformat() in page
    # Per recommendation, how many regions said gör vi / delvis / gör vi inte / ej aktuellt:
    # Norr assessed its five rows in that order round (assess_all), Syd rows 1-2 "gör vi inte".
    tally = re.search(r'id="h-tally".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    counts = [
        [int(n) for n in re.findall(r"<td>(\d+)</td>", row)] for row in tally.split("</tr>")[:-1]
    ]
    assert counts == [[1, 0, 1, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    # Norr shares its analysis, plan and indicators, on a page of its own; Syd shares nothing
    # beyond the defaults, and the page reads no region's details.
    norr = reverse("nationellt:support_region", args=[support.pk, north.region_id])
    assert f'href="{norr}"' in page and "gap-analys, plan, indikatorer" in page
    assert "bara stationer och antal" in page  # Syd
    assert "Norrs förslag." not in page
    shared = html(client.get(norr))
    assert "Norrs förslag." in shared and "Regionen delar inte" not in shared
    syd = html(client.get(reverse("nationellt:support_region", args=[support.pk, south.region_id])))
    assert "Regionen delar inte sin gap-analys rad för rad." in syd
    assert "Regionen delar inte sin införandeplan." in syd
    for private in (PRIVATE_PRACTICE, PRIVATE_PROPOSAL, PRIVATE_ACTIVITY):
        assert private not in page and private not in syd


def test_the_tally_shows_its_recommendations_a_page_at_a_time(
    client, north, south, sven, support, monkeypatch
):
    from nationellt import selectors

    monkeypatch.setattr(selectors, "TALLY_PER_PAGE", 2)
    client.force_login(sven)
    url = reverse("nationellt:support", args=[support.pk])

    def numbers(query):
        page = html(client.get(url, query))
        tally = re.search(r'id="h-tally".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
        return [int(n) for n in re.findall(r'<span class="nowrap">(\d+)</span>', tally)], page

    first, page = numbers({})
    assert first == [1, 2] and "Sida 1 av 3 (5 st)" in page and 'href="?sida=2"' in page
    assert numbers({"sida": "3"})[0] == [5]
    assert numbers({"sida": "99"})[0] == [5]  # a page past the end shows the last
    assert numbers({"sida": "två"})[0] == [1, 2]  # a hand-edited address shows the first


def test_no_names_appear_on_the_cross_region_page(
    client, north, south, north_shares_all, sven, lars, alice, support
):
    client.force_login(sven)
    for url in (
        reverse("nationellt:support", args=[support.pk]),
        reverse("nationellt:support_region", args=[support.pk, north.region_id]),
    ):
        page = html(client.get(url))
        for person in (lars, alice):
            assert person.get_full_name() not in page
        assert "Sven Syd" in page  # only as the signed-in user in the header
        assert page.count("Sven Syd") == 1


def test_the_cross_region_page_reads_in_a_fixed_number_of_queries(
    client, north, south, north_shares_all, sven, support, django_assert_num_queries
):
    client.force_login(sven)
    url = reverse("nationellt:support", args=[support.pk])
    client.get(url)
    # session, user, scope (nav); support; cases with their regions' choices and their
    # analyses' summaries (how many each assessed); decisions; recommendations; the tally of
    # the page's recommendations. No region's details: each region's page reads its own.
    with django_assert_num_queries(8):
        client.get(url)
    url = reverse("nationellt:support_region", args=[support.pk, north.region_id])
    client.get(url)
    # the same eight; the region's counts per assessment; its shared rows, activities and
    # indicators; the reader's analyses that could take the region's as a template.
    with django_assert_num_queries(13):
        client.get(url)


def test_a_region_without_a_case_for_the_support_has_no_page(
    client, north, sven, support, other_region
):
    client.force_login(sven)
    missing = reverse("nationellt:support_region", args=[support.pk, other_region.pk])
    assert client.get(missing).status_code == 404
    unknown = reverse("nationellt:support_region", args=[support.pk, 999_999])
    assert client.get(unknown).status_code == 404
    assert client.get(reverse("nationellt:support", args=[999_999])).status_code == 404


def test_a_regions_page_needs_a_login(client, north, support):
    url = reverse("nationellt:support_region", args=[support.pk, north.region_id])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


def test_the_overview_reads_in_a_fixed_number_of_queries(
    client, north, south, sven, django_assert_num_queries
):
    client.force_login(sven)
    url = reverse("nationellt:overview")
    client.get(url)
    # session, user, scope (nav); count; page of supports; their cases with regions.
    with django_assert_num_queries(6):
        client.get(url)


# --- The region's choice --------------------------------------------------------------------


@pytest.fixture
def ada(region):
    """Region Norr's organisation administrator."""
    unit = UnitFactory(kind=UnitKind.KANSLI, name="Kansli Norr", code="RN_ADM", region=region)
    user = UserFactory(username="ada", first_name="Ada", last_name="Admin")
    member(user, unit, Role.ADMINISTRATOR, start_date=date(2020, 1, 1))
    return user


def test_the_sharing_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get(reverse("nationellt:sharing"))
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


def test_only_an_organisation_administrator_chooses_what_the_region_shares(client, sara):
    client.force_login(sara)
    assert client.get(reverse("nationellt:sharing")).status_code == 403


def test_an_administrator_cannot_open_another_regions_choice(client, ada, other_region):
    client.force_login(ada)
    response = client.get(reverse("nationellt:sharing"), {"region": other_region.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("chosen", ["abc", "²", "1e309", "99999999999999999999", "-1"])
def test_a_region_that_is_none_is_no_page(client, ada, chosen):
    client.force_login(ada)
    assert client.get(reverse("nationellt:sharing"), {"region": chosen}).status_code == 404


def test_the_administrator_saves_the_regions_choice(client, ada, region):
    client.force_login(ada)
    url = reverse("nationellt:sharing")
    answers = {"share_analysis": "1", "share_plan": "0", "share_indicators": "0", "public": "1"}
    assert client.post(url, answers).status_code == 302
    sharing = RegionSharing.objects.get(region=region)
    assert (sharing.share_analysis, sharing.share_plan, sharing.public) == (True, False, True)
    assert sharing.changed_by == ada


def test_an_empty_choice_is_refused_and_nothing_is_saved(client, ada, region):
    client.force_login(ada)
    response = client.post(reverse("nationellt:sharing"), {})
    page = html(response)
    assert response.status_code == 200 and 'href="#id_share_analysis_0"' in page
    assert not RegionSharing.objects.filter(region=region).exists()


def test_the_service_refuses_someone_who_does_not_administer_the_region(sara, region):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sharing_save(region=region, actor=sara, data={"public": True})
    assert not RegionSharing.objects.exists()


# --- Starting from another region's shared analysis -------------------------------------------


def test_a_lag_starts_from_another_regions_shared_analysis(
    client, north_fresh, south, south_shares, lars, support
):
    begun = north_fresh.rows.order_by("recommendation__number").first()
    GapRow.objects.filter(pk=begun.pk).update(today_practice="Vårt eget nuläge.")
    client.force_login(lars)
    page = html(
        client.get(reverse("nationellt:support_region", args=[support.pk, south.region_id]))
    )
    assert "Använd som mall för" in page
    response = client.post(
        reverse("nationellt:start_from", args=[support.pk]),
        {"analysis": north_fresh.pk, "source": south.pk},
    )
    assert response.status_code == 302
    rows = {row.recommendation.number: row for row in north_fresh.rows.all()}
    # Row 1 was begun and is left alone; row 2 takes Syd's proposal, not its assessment.
    assert rows[1].proposal == "" and rows[1].today_practice == "Vårt eget nuläge."
    assert rows[2].proposal == PRIVATE_PROPOSAL and rows[2].current_state == ""
    assert rows[2].today_practice == "" and rows[2].needs_review
    assert "1 rad fick förslag och konsekvenser från gap-analysen i Region Syd" in (
        north_fresh.case.events.last().message
    )


def test_an_analysis_that_is_not_shared_cannot_be_a_template(
    client, north_fresh, south, lars, support
):
    client.force_login(lars)
    response = client.post(
        reverse("nationellt:start_from", args=[support.pk]),
        {"analysis": north_fresh.pk, "source": south.pk},
    )
    assert response.status_code == 404
    assert not north_fresh.rows.exclude(proposal="").exists()


def test_only_the_lag_fills_its_analysis_from_a_template(
    client, north_fresh, south, south_shares, sven, support
):
    client.force_login(sven)
    assert "Använd som mall för" not in html(
        client.get(reverse("nationellt:support", args=[support.pk]))
    )
    response = client.post(
        reverse("nationellt:start_from", args=[support.pk]),
        {"analysis": north_fresh.pk, "source": south.pk},
    )
    assert response.status_code == 404
    assert not north_fresh.rows.exclude(proposal="").exists()
