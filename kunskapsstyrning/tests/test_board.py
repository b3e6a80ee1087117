"""The board shows every case, ten at a time per station, and filters joint cases (issue 18)."""

import re

import pytest
from django.urls import reverse

from kunskapsstyrning.tests.factories import KnowledgeSupportFactory
from organisation.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve_before_bp1(make_case, alice):
    """Twelve cases at the first station, titled so their order is known: Fall 01 … Fall 12."""
    return [
        make_case(knowledge_support=KnowledgeSupportFactory(title=f"Fall {n:02d}"))
        for n in range(1, 13)
    ]


def cards(page):
    return re.findall(r'<li class="board-card[^"]*">\s*<a href="[^"]+">([^<]+)</a>', page)


def test_a_station_pages_through_every_case_in_swedish_order(client, twelve_before_bp1, sara):
    client.force_login(sara)
    first = client.get(reverse("kunskapsstyrning:board")).content.decode()
    assert cards(first) == [f"Fall {n:02d}" for n in range(1, 11)]
    assert "1–10 av 12" in first
    assert 'href="?sida-fore_bp1=2#station-fore_bp1"' in first
    second = client.get(reverse("kunskapsstyrning:board"), {"sida-fore_bp1": 2}).content.decode()
    assert cards(second) == ["Fall 11", "Fall 12"]
    assert "11–12 av 12" in second and 'rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("asked", ["99", "0", "-3", "två", ""])
def test_a_page_outside_the_station_shows_the_nearest_page_not_an_error(
    client, twelve_before_bp1, sara, asked
):
    client.force_login(sara)
    response = client.get(reverse("kunskapsstyrning:board"), {"sida-fore_bp1": asked})
    assert response.status_code == 200
    shown = cards(response.content.decode())
    assert shown in ([f"Fall {n:02d}" for n in range(1, 11)], ["Fall 11", "Fall 12"])


def test_the_pager_keeps_the_filters(client, twelve_before_bp1, sara):
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:board"), {"q": "fall"}).content.decode()
    assert 'href="?q=fall&amp;sida-fore_bp1=2#station-fore_bp1"' in page
    assert f'href="{reverse("kunskapsstyrning:case_list")}?station=fore_bp1&amp;q=fall"' in page


def test_joint_cases_are_marked_and_can_be_shown_alone(client, make_case, alice, sara, region):
    own = make_case(knowledge_support=KnowledgeSupportFactory(title="Egen"))
    joint = make_case(
        knowledge_support=KnowledgeSupportFactory(title="Gemensam"),
        joint=True,
        municipalities=[Municipality.objects.create(code="9901", name="Testkommun", region=region)],
    )
    client.force_login(sara)
    everything = client.get(reverse("kunskapsstyrning:board")).content.decode()
    assert cards(everything) == ["Egen", "Gemensam"]
    assert everything.count('class="tag tag-joint"') == 1
    assert own.registry_number in everything and joint.registry_number in everything
    only_joint = client.get(
        reverse("kunskapsstyrning:board"), {"joint": "gemensamma"}
    ).content.decode()
    assert cards(only_joint) == ["Gemensam"]
    only_own = client.get(
        reverse("kunskapsstyrning:board"), {"joint": "regionens"}
    ).content.decode()
    assert cards(only_own) == ["Egen"]
    listing = client.get(
        reverse("kunskapsstyrning:case_list"), {"joint": "gemensamma"}
    ).content.decode()
    assert joint.registry_number in listing and own.registry_number not in listing
