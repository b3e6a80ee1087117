"""The overdue activities of the plans a person follows: the home page lists the most overdue
few and links to the list of all of them (`uppfoljning:overdue_activities`)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from implementering import selectors, services

from .conftest import activity_data

LIST = reverse("uppfoljning:overdue_activities")
HOME = reverse("kunskapsstyrning:home")


@pytest.fixture
def overdue(planning_case, alice):
    """Twelve overdue activities in Hjärta's plan: "Sen 00" is the most overdue."""
    services.plan_start(case_id=planning_case.pk, actor=alice)
    today = timezone.localdate()
    for i in range(selectors.HOME_OVERDUE + 2):
        services.activity_save(
            case_id=planning_case.pk,
            actor=alice,
            data=activity_data(
                title=f"Sen {i:02d}", start=today - timedelta(90), due=today - timedelta(40 - i)
            ),
            gap_row_ids=[],
        )
    return planning_case


@pytest.mark.parametrize("who", ["alice", "sara", "maja"])
def test_the_home_page_lists_the_most_overdue_and_links_to_all(request, client, overdue, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(HOME).content.decode()
    assert "Sen 00" in page and "Sen 09" in page
    assert "Sen 10" not in page  # the eleventh is on the list page
    assert LIST in page


def test_the_list_shows_every_overdue_activity_most_overdue_first(client, overdue, maja):
    client.force_login(maja)
    response = client.get(LIST)
    assert response.status_code == 200
    titles = [a.title for a in response.context["page"].object_list]
    assert titles == [f"Sen {i:02d}" for i in range(12)]
    page = response.content.decode()
    assert 'lang="sv"' in page
    assert reverse("implementering:plan_detail", args=[overdue.pk]) in page


def test_the_list_is_paged(client, overdue, maja, monkeypatch):
    from implementering import region_views

    monkeypatch.setattr(region_views, "OVERDUE_PER_PAGE", 5)
    client.force_login(maja)
    last = client.get(LIST, {"sida": 3}).context["page"]
    assert [a.title for a in last.object_list] == ["Sen 10", "Sen 11"]
    # A hand-edited page number shows a page, not an error.
    assert client.get(LIST, {"sida": "x"}).status_code == 200


def test_another_lpos_chair_sees_none_of_them(client, overdue, bob):
    client.force_login(bob)
    assert list(client.get(LIST).context["page"].object_list) == []


def test_another_regions_strategist_sees_none_of_them(client, overdue, sven):
    client.force_login(sven)
    assert list(client.get(LIST).context["page"].object_list) == []


def test_someone_who_follows_no_plans_is_refused(client, overdue, olle):
    client.force_login(olle)
    assert client.get(LIST).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, overdue):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
