"""The cross-region page as a workbook, and the promise that a region's unshared data reaches
no other region by any road: the page, the workbook or the API (issue 16)."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from api.services import token_create
from common.tabular import iter_formula_cells
from gapanalys.models import GapRow
from nationellt.tests.fixtures import PRIVATE_ACTIVITY, PRIVATE_PRACTICE, PRIVATE_PROPOSAL

pytestmark = pytest.mark.django_db

PRIVATE = (PRIVATE_PRACTICE, PRIVATE_PROPOSAL, PRIVATE_ACTIVITY)


@pytest.fixture
def north(make_case, alice, maja, lars, lag):
    """Region Norr's case in the gap analysis, one row assessed by the LAG."""
    from gapanalys import services as gap_services

    case = make_case("gapanalys")
    analysis = gap_services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)
    row = analysis.rows.order_by("recommendation__number").first()
    GapRow.objects.filter(pk=row.pk).update(current_state="delvis", proposal="Norrs förslag.")
    return case


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def cells(book):
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_the_workbook_needs_a_login(client, support):
    response = client.get(reverse("nationellt:support_export", args=[support.pk]))
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


def test_an_unknown_support_has_no_workbook(client, sven):
    client.force_login(sven)
    assert client.get(reverse("nationellt:support_export", args=[999_999])).status_code == 404


def test_the_workbook_holds_what_the_page_shows(client, north, south, sven, support, region):
    from nationellt.models import RegionSharing

    RegionSharing.objects.create(region=region, share_analysis=True)
    client.force_login(sven)
    book = workbook(client.get(reverse("nationellt:support_export", args=[support.pk])))
    assert book.sheetnames == ["Om filen", "Regioner", "Rekommendationer", "Gap-analyser"]
    regions = [[c.value for c in row] for row in book["Regioner"].iter_rows(min_row=2)]
    assert sorted(r[0] for r in regions) == ["Region Norr", "Region Syd"]
    syd = next(r for r in regions if r[0] == "Region Syd")
    assert syd[-4:] == [0, 0, 2, 0]  # Syd's two rows: "gör vi inte"
    tally = [[c.value for c in row] for row in book["Rekommendationer"].iter_rows(min_row=2)]
    assert [row[0] for row in tally] == [1, 2, 3, 4, 5]
    assert tally[0][-1] == 2  # both regions assessed recommendation 1
    shared = [[c.value for c in row] for row in book["Gap-analyser"].iter_rows(min_row=2)]
    assert {row[0] for row in shared} == {"Region Norr"}
    assert "Norrs förslag." in cells(book)


def test_a_formula_in_a_shared_text_stays_text(client, north, sven, support, region):
    from nationellt.models import RegionSharing

    RegionSharing.objects.create(region=region, share_analysis=True)
    formula = '=HYPERLINK("http://example.com","klicka")'
    GapRow.objects.filter(analysis__case=north, proposal="Norrs förslag.").update(
        proposal=formula, today_practice="+1", current_state="delvis"
    )
    client.force_login(sven)
    response = client.get(reverse("nationellt:support_export", args=[support.pk]))
    assert list(iter_formula_cells(response.content)) == []
    assert {formula, "+1"} <= cells(workbook(response))


def api_answers(user):
    """Every answer of every API list endpoint for `user`, page after page."""
    from api.urls import router

    _token, secret = token_create(user=user, name="Läcktest")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answers = []
    for prefix, _viewset, _basename in router.registry:
        url = f"/api/v1/{prefix}/"
        while url:
            response = api.get(url)
            assert response.status_code == 200, (url, response.status_code)
            answers.append(response.content.decode())
            for item in response.json()["results"]:
                if "url" in item:  # each object's own answer too
                    answers.append(api.get(item["url"]).content.decode())
            url = response.json()["next"]
    return answers


def test_unshared_data_reaches_no_other_region_by_any_road(
    client, north, south, alice, support, other_region
):
    """Region Syd shares nothing beyond the defaults: its analysis texts and its activity
    appear on neither cross-region page (the support's, Syd's own), in no workbook and in no
    API answer that Region Norr's chair gets.
    The same reader does see them once Syd shares (the test can fail)."""
    from nationellt.models import RegionSharing

    def everything():
        client.force_login(alice)
        page = " ".join(
            client.get(url).content.decode()
            for url in (
                reverse("nationellt:support", args=[support.pk]),
                reverse("nationellt:support_region", args=[support.pk, other_region.pk]),
            )
        )
        book = cells(workbook(client.get(reverse("nationellt:support_export", args=[support.pk]))))
        return page, " ".join(book), " ".join(api_answers(alice))

    page, book, api = everything()
    assert "Region Syd" in page and "Region Syd" in book  # the defaults are shared
    for text in PRIVATE:
        assert text not in page and text not in book and text not in api
    assert north.registry_number in api  # the API did answer, with Norr's own case
    assert south.registry_number not in api  # outside Norr's scope altogether

    RegionSharing.objects.create(region=other_region, share_analysis=True, share_plan=True)
    page, book, api = everything()
    for text in PRIVATE:
        assert text in page and text in book
    assert PRIVATE_PRACTICE not in api  # the API answers for one's own scope only
