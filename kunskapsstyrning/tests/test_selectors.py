"""The case page's reads: who may open a case, its parties, and the region's decision rules."""

from datetime import date

import pytest
from django.http import Http404

from kunskapsstyrning import selectors, services
from kunskapsstyrning.models import State
from organisation.models import Municipality, Role
from organisation.permissions import scope_of
from organisation.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_the_case_page_finds_a_case_for_everyone_whom_the_case_list_shows(
    make_case, alice, bob, sara, maja, lars, olle, sven, other_lpo
):
    mine = make_case("prioritering")
    concerned = make_case("prioritering", responsible_lpo=other_lpo)
    concerned.concerned_lpos.add(alice.memberships.get().unit)
    theirs = make_case("prioritering", responsible_lpo=other_lpo)
    people = [alice, bob, sara, maja, lars, olle, sven]
    for case in (mine, concerned, theirs):
        for person in people:
            listed = case.__class__.objects.visible_to(person).filter(pk=case.pk).exists()
            try:
                found = selectors.case_for_page(person, case.pk) is not None
            except Http404:
                found = False
            assert found == listed, (case.registry_number, person.username)


def test_a_concerned_lpos_chair_costs_one_query_more_than_the_responsible_one(
    make_case, alice, bob, other_lpo, django_assert_num_queries
):
    responsible = make_case("prioritering")
    concerned = make_case("prioritering", responsible_lpo=other_lpo)
    concerned.concerned_lpos.add(alice.memberships.get().unit)
    selectors.case_for_page(alice, responsible.pk)  # the scope, read once per request
    with django_assert_num_queries(2):  # the case; its one-to-ones
        case = selectors.case_for_page(alice, responsible.pk)
    with django_assert_num_queries(3):  # ... and whether a concerned LPO is mine
        selectors.case_for_page(alice, concerned.pk)
    with django_assert_num_queries(0):  # the one-to-ones are known, missing ones too
        for name in selectors.case_page_one_to_ones():
            if "__" in name:
                continue
            assert getattr(case, name, None) is None  # none yet in prioritisation


def test_a_case_that_does_not_exist_is_a_404(alice):
    with pytest.raises(Http404):
        selectors.case_for_page(alice, 987654)


def test_the_case_involves_its_lpos_people_the_concerned_lpos_and_its_municipalities(
    make_case, alice, bob, lars, region, other_lpo, django_assert_num_queries
):
    case = make_case("prioritering", joint=True)
    case.concerned_lpos.add(other_lpo)
    umea = Municipality.objects.create(code="2480", name="Umeå", region=region)
    alvdalen = Municipality.objects.create(code="2039", name="Älvdalen", region=region)
    case.municipalities.add(umea, alvdalen)
    expert = UserFactory(username="sakkunnig", first_name="Siv", last_name="Sakkunnig")
    member(expert, case.responsible_lpo, Role.EXPERT, start_date=date(2024, 1, 1))
    with django_assert_num_queries(1):
        involved = selectors.involved_in(case)
    assert involved["people"] == [selectors.Person("Alice Ordförande", "Ordförande")]
    assert involved["concerned_lpos"] == ["LPO Lunga"]
    assert involved["municipalities"] == ["Umeå", "Älvdalen"]


def test_a_regional_case_names_no_municipalities(make_case, alice, other_lpo):
    case = make_case("prioritering")
    assert selectors.involved_in(case)["municipalities"] == []
    case.concerned_lpos.add(other_lpo)
    assert selectors.involved_in(case)["concerned_lpos"] == ["LPO Lunga"]


def test_the_regions_decision_rules_are_read_once_per_case_object(
    make_case, alice, maja, django_assert_num_queries
):
    case = make_case(State.BP1)
    scope_of(maja)  # read once per request
    # the region's rules; the round the case was sent with; the parts recorded in it (for
    # someone who decides a part)
    with django_assert_num_queries(3):
        rule = services.decision_rule_for(case, "BP1")
        assert services.decision_rule_for(case, "BP1") == rule
        assert services.can_decide_now(maja, case)
    assert rule.deciding_body.name


def test_the_case_pages_one_to_ones_point_back_to_the_case_it_shows(
    make_case, alice, maja, django_assert_num_queries
):
    from gapanalys.models import GapAnalysis

    case = make_case(State.GAP_ANALYSIS)
    GapAnalysis.objects.get_or_create(case=case)
    scope_of(alice)
    shown = selectors.case_for_page(alice, case.pk)
    with django_assert_num_queries(0):
        assert shown.gap_analysis.case is shown
        assert shown.gap_analysis.case.state == State.GAP_ANALYSIS


def test_the_portfolio_says_in_how_many_cases_the_years_decisions_were(client, case, alice, maja):
    from django.urls import reverse
    from django.utils import timezone

    from kunskapsstyrning.tests.helpers import walk_to

    walk_to(case, State.BP1)
    for outcome in ("ater", "bifall"):  # returned, sent again, approved: two decisions
        services.case_decide(
            case_id=case.pk,
            actor=maja,
            point="BP1",
            outcome=outcome,
            decided_on=timezone.localdate(),
            motivation="Prövat.",
        )
        if outcome == "ater":
            services.case_act(case_id=case.pk, actor=alice, action_name="submit_bp1")
    client.force_login(maja)
    page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    year = timezone.localdate().year
    assert f"beslut av ert organ under {year}, i 1 ärende" in page
