"""The organisation pages: who may open them, what they show, and how many queries they take."""

import pytest
from django.urls import reverse

from conftest import START
from organisation.models import Membership, OrganisationChange, Role, Unit, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def region_pages(region, unit, person):
    return [
        reverse("organisation:org_region", args=[region.pk]),
        reverse("organisation:org_unit_create", args=[region.pk]),
        reverse("organisation:org_people", args=[region.pk]),
        reverse("organisation:org_import", args=[region.pk]),
        reverse("organisation:org_history", args=[region.pk]),
        reverse("organisation:org_unit", args=[unit.pk]),
        reverse("organisation:org_person", args=[person.pk]),
        reverse("organisation:org_person_edit", args=[person.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, region, lpo, alice):
    for url in [reverse("organisation:org_index"), *region_pages(region, lpo, alice)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/logga-in/"), url


def test_people_who_keep_no_organisation_are_refused(client, region, lpo, alice, sara):
    for person in (alice, sara):  # a chair, a strategist
        client.force_login(person)
        for url in [reverse("organisation:org_index"), *region_pages(region, lpo, alice)]:
            assert client.get(url).status_code == 403, (person.username, url)


def test_an_administrator_of_another_region_finds_nothing_here(client, region, lpo, alice, sigrid):
    client.force_login(sigrid)
    for url in region_pages(region, lpo, alice):
        assert client.get(url).status_code == 404, url
    membership = Membership.objects.get(user=alice)
    assert (
        client.post(reverse("organisation:org_role_end", args=[membership.pk])).status_code == 404
    )
    membership.refresh_from_db()
    assert membership.end_date is None


def test_an_administrator_sees_their_own_region_only(client, region, other_region, ada, sigrid):
    client.force_login(ada)
    response = client.get(reverse("organisation:org_index"))
    assert response.url == reverse("organisation:org_region", args=[region.pk])
    client.force_login(sigrid)
    assert client.get(reverse("organisation:org_index")).url == reverse(
        "organisation:org_region", args=[other_region.pk]
    )


def test_every_page_opens_for_the_regions_administrator(client, region, lpo, alice, ada):
    client.force_login(ada)
    for url in region_pages(region, lpo, alice):
        assert client.get(url).status_code == 200, url


def test_the_navigation_offers_organisation_to_administrators_only(client, ada, alice):
    client.force_login(ada)
    assert 'href="/organisation/"' in client.get("/").content.decode()
    client.force_login(alice)
    assert 'href="/organisation/"' not in client.get("/").content.decode()


def test_djangos_admin_is_for_superusers_only(client, ada):
    staff = UserFactory(username="personal", is_staff=True)
    for person in (ada, staff):
        client.force_login(person)
        assert client.get("/admin/").status_code == 302, person.username
    client.force_login(UserFactory(username="super", is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_a_unit_of_the_same_name_in_another_region_is_never_offered(
    client, region, other_region, lpo, foreign_lpo, ada
):
    client.force_login(ada)
    person = UserFactory(username="ny", first_name="Ny", last_name="Person")
    html = client.get(reverse("organisation:org_person", args=[person.pk])).content.decode()
    assert "LPO Hjärta (Region Norr)" in html
    assert "Region Syd" not in html


# --- Query counts --------------------------------------------------------------------------
# Each page's queries: session, user, the scope (one), then the page's own reads. A count that
# grew with the data would show up as a difference between the small and the large region.


def grow(region, lpo, n):
    """n more LPOs, each with a LAG, a chair and a member, and a change row per person."""
    for i in range(n):
        extra = UnitFactory(kind=UnitKind.LPO, name=f"LPO Extra {i}", region=region)
        lag = UnitFactory(kind=UnitKind.LAG, name=f"LAG Extra {i}", region=region, parent=extra)
        chair = UserFactory(first_name=f"Chair{i}")
        member(chair, extra, Role.CHAIR, start_date=START)
        member(UserFactory(first_name=f"Member{i}"), lag, Role.MEMBER, start_date=START)
        member(UserFactory(first_name=f"Lpo{i}"), lpo, Role.MEMBER, start_date=START)
        OrganisationChange.objects.create(region=region, kind="unit_created", summary=f"{i}")


PAGES = {
    # session, user, scope, region; units; municipalities; associations (+ their prefetch)
    "org_region": 7,
    # session, user, scope, region; parents for the unit form; programme areas
    "org_unit_create": 6,
    # session, user, scope, region; municipalities (form); count; page of people
    "org_people": 7,
    # session, user, scope, region
    "org_import": 4,
    # session, user, scope, region; changes with their actors
    "org_history": 5,
    # session, user, scope, unit; candidates (form); memberships; children
    "org_unit": 7,
    # session, user, scope, person; the regions of their roles; units (form); memberships
    "org_person": 7,
    # session, user, scope, person; the regions of their roles; municipalities (form)
    "org_person_edit": 6,
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_takes_the_same_few_queries_however_large_the_region(
    client, region, lpo, alice, ada, name, django_assert_num_queries
):
    client.force_login(ada)
    target = {"org_unit": lpo.pk, "org_person": alice.pk, "org_person_edit": alice.pk}.get(
        name, region.pk
    )
    url = reverse(f"organisation:{name}", args=[target])
    client.get(url)  # warm up (content types, session)
    grow(region, lpo, 1)
    with django_assert_num_queries(PAGES[name]):
        assert client.get(url).status_code == 200
    grow(region, lpo, 6)
    with django_assert_num_queries(PAGES[name]):
        assert client.get(url).status_code == 200


def test_the_region_page_shows_the_tree_with_lags_under_their_lpo(client, region, lpo, lag, ada):
    client.force_login(ada)
    html = client.get(reverse("organisation:org_region", args=[region.pk])).content.decode()
    lpo_at = html.index(">LPO Hjärta<")
    assert lpo_at < html.index(">LAG Hjärtsvikt<")
    assert Unit.objects.get(pk=lag.pk).parent_id == lpo.pk


def test_a_person_just_added_is_on_the_regions_list_and_a_taken_e_mail_is_said_at_its_field(
    client, ada, alice, region, sigrid, other_region
):
    client.force_login(ada)
    url = reverse("organisation:org_people", args=[region.pk])
    data = {"first_name": "Nora", "last_name": "Ny", "email": "nora@example.se"}
    assert client.post(url, data).status_code == 302
    page = client.get(url)
    assert "Nora Ny" in page.content.decode()  # no role yet, still found where she was added
    response = client.post(url, {**data, "first_name": "Nora", "email": "NORA@example.se"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "E-postadressen används redan av en annan person."
    ]
    # Another region's list does not show her.
    client.force_login(sigrid)
    other = client.get(reverse("organisation:org_people", args=[other_region.pk]))
    assert "Nora Ny" not in other.content.decode()


def test_an_administrator_adds_an_hsa_id_so_the_person_can_sign_in(client, ada, alice, norrby):
    client.force_login(ada)
    url = reverse("organisation:org_person_edit", args=[alice.pk])
    data = {"first_name": "Alice", "last_name": "Ordförande", "email": alice.email}
    response = client.post(url, {**data, "hsa_id": "se2321000016-alic", "municipality": norrby.pk})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.hsa_id == "SE2321000016-ALIC" and alice.municipality == norrby
    change = OrganisationChange.objects.get(kind="person_changed")
    assert change.actor == ada
    assert "HSA-id: – → SE2321000016-ALIC" in change.summary

    UserFactory(username="annan", hsa_id="SE2321000016-TAGEN")
    response = client.post(url, {**data, "hsa_id": "SE2321000016-TAGEN"})
    assert response.status_code == 200
    assert "HSA-id:t används redan av en annan person" in response.content.decode()
    alice.refresh_from_db()
    assert alice.hsa_id == "SE2321000016-ALIC"


@pytest.mark.parametrize(
    ("typed", "words"), [("0001-01-01", "för tidigt"), ("9999-12-31", "för långt fram")]
)
def test_a_role_is_dated_within_the_products_era(typed, words, lpo):
    from organisation.forms import RoleInUnitForm

    form = RoleInUnitForm({"role": "ledamot", "start_date": typed}, unit=lpo)
    assert not form.is_valid()
    assert words in form.errors["start_date"][0]
