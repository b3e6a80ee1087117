from django.urls import reverse

from organisation.permissions import scope_of
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
    page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert "Remisser att besvara" in page
    assert reverse("remisser:remiss_answer", args=[remiss.pk, response_of(remiss, lpo).pk]) in page
    assert "(passerad)" in page


def test_the_case_page_links_to_the_round_for_those_who_may_open_it(
    client, distributed, sara, bob, alice
):
    url = reverse("kunskapsstyrning:case_detail", args=[distributed.case_id])
    client.force_login(sara)
    assert (
        reverse("remisser:remiss_detail", args=[distributed.pk]) in client.get(url).content.decode()
    )
    assert selectors.case_panel(distributed.case, sara)["remiss_panel"]["remiss"] == distributed
    # bob chairs LPO Lunga, a concerned LPO: he sees the case and the round sent to him.
    client.force_login(bob)
    assert (
        reverse("remisser:remiss_detail", args=[distributed.pk]) in client.get(url).content.decode()
    )


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


def test_a_chairs_remiss_block_costs_one_query(distributed, alice, django_assert_num_queries):
    scope_of(alice)  # read once per request, by the page's first permission check
    # the answers waiting for alice: her LPO's unanswered ones and her invitations
    with django_assert_num_queries(1):
        sections = selectors.home_sections(alice)
    assert len(sections["remisser_to_answer"]) == 1


def test_a_chair_invited_to_another_lpos_answer_sees_both(distributed, alice, bob, other_lpo):
    services.expert_invite(
        response_id=response_of(distributed, other_lpo).pk, actor=bob, user=alice
    )
    sections = selectors.home_sections(alice)
    assert [r.lpo.name for r in sections["remisser_to_answer"]] == ["LPO Hjärta"]
    assert [r.lpo.name for r in sections["remisser_invited"]] == ["LPO Lunga"]


def test_an_expert_no_longer_sees_a_revoked_invitation_or_a_closed_round(
    distributed, alice, erik, sara, lpo
):
    access = services.expert_invite(
        response_id=response_of(distributed, lpo).pk, actor=alice, user=erik
    )
    services.expert_revoke(access_id=access.pk, actor=alice)
    assert "remisser_invited" not in selectors.home_sections(erik)
    services.expert_invite(response_id=response_of(distributed, lpo).pk, actor=alice, user=erik)
    assert "remisser_invited" in selectors.home_sections(erik)
    services.remiss_decline(remiss_id=distributed.pk, actor=sara, reason="Avstår.")
    assert "remisser_invited" not in selectors.home_sections(erik)


def test_an_expert_sees_the_rounds_in_the_order_of_their_deadlines(
    region, lpo, sara, alice, erik, support
):
    later = register(sara, region, lpo, support)
    distribute(later, [lpo], internal_deadline=days(30))
    sooner = register(sara, region, lpo, support)
    distribute(sooner, [lpo], internal_deadline=days(10))
    for remiss in (later, sooner):
        services.expert_invite(response_id=response_of(remiss, lpo).pk, actor=alice, user=erik)
    assert [r.remiss for r in selectors.home_sections(erik)["remisser_invited"]] == [sooner, later]
