from django.urls import reverse

from remisser import selectors, services
from remisser.models import Remiss

from .factories import days, distribute, register, response_of


def test_a_chair_sees_rounds_to_answer_with_the_internal_deadline(distributed, alice, lpo):
    sections = selectors.home_sections(alice)
    assert [r.lpo for r in sections["remisser_to_answer"]] == [lpo]
    services.response_save(
        response_id=response_of(distributed, lpo).pk,
        actor=alice,
        text="Klart",
        included_comment_ids=[],
        submit=True,
    )
    assert selectors.home_sections(alice)["remisser_to_answer"] == []


def test_an_expert_sees_the_rounds_they_are_invited_to(distributed, alice, erik, lpo):
    assert "remisser_invited" not in selectors.home_sections(erik)
    services.expert_invite(response_id=response_of(distributed, lpo).pk, actor=alice, user=erik)
    assert [a.remiss for a in selectors.home_sections(erik)["remisser_invited"]] == [distributed]


def test_a_strategist_sees_rounds_at_risk(region, lpo, sara, support):
    late = register(sara, region, lpo, support, received_on=days(-30), reply_deadline=days(-1))
    register(sara, region, lpo, support, reply_deadline=days(60))
    assert selectors.home_sections(sara)["remisser_at_risk"] == [late]


def test_people_without_a_part_in_rounds_get_no_block(remiss, olle, maja):
    assert selectors.home_sections(olle) == {}
    assert selectors.home_sections(maja) == {}


def test_the_home_page_shows_the_chairs_round_and_flags_a_passed_deadline(
    client, remiss, lpo, alice
):
    distribute(remiss, [lpo], internal_deadline=days(0))
    Remiss.objects.filter(pk=remiss.pk).update(internal_deadline=days(-1))
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Remisser att besvara" in page
    assert reverse("remiss_answer", args=[remiss.pk, response_of(remiss, lpo).pk]) in page
    assert "(passerad)" in page


def test_the_case_page_links_to_the_round_for_those_who_may_open_it(
    client, distributed, sara, bob, alice
):
    url = reverse("case_detail", args=[distributed.case_id])
    client.force_login(sara)
    assert reverse("remiss_detail", args=[distributed.pk]) in client.get(url).content.decode()
    assert selectors.case_panel(distributed.case, sara)["remiss_panel"]["remiss"] == distributed
    # bob chairs LPO Lunga, a concerned LPO: he sees the case and the round sent to him.
    client.force_login(bob)
    assert reverse("remiss_detail", args=[distributed.pk]) in client.get(url).content.decode()


def test_the_case_panel_is_empty_when_the_round_is_out_of_reach(remiss, bob):
    # Not distributed yet: bob's LPO has not been asked.
    assert selectors.case_panel(remiss.case, bob) == {}


def test_a_municipal_representative_sees_the_municipal_answer_to_give(distributed, kim):
    distribute(distributed, [], municipal_representative=kim)
    [response] = selectors.home_sections(kim)["remisser_to_answer"]
    assert response.kind == "kommun" and response.remiss == distributed
    assert "remisser_invited" not in selectors.home_sections(kim)


def test_the_case_panel_leaves_once_the_national_decision_is_taken(distributed, sara):
    from kunskapsstyrning.services import case_act

    case_act(case_id=distributed.case_id, actor=sara, action_name="remiss_answered")
    distributed.case.refresh_from_db()
    assert "remiss_panel" in selectors.case_panel(distributed.case, sara)
    case_act(case_id=distributed.case_id, actor=sara, action_name="nationally_adopted")
    distributed.case.refresh_from_db()
    assert selectors.case_panel(distributed.case, sara) == {}
