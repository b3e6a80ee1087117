"""A region's decision order: preparation, decision parts by principal, information, points
not used — and a case keeping the order it was sent with (issue 13)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from kunskapsstyrning import selectors, services
from kunskapsstyrning.documents import TEMPLATES, document_context
from kunskapsstyrning.models import (
    Accession,
    Case,
    Decision,
    DecisionPart,
    DecisionRule,
    Document,
    State,
)
from kunskapsstyrning.tests.helpers import run_at_once, walk_to
from organisation.models import Role
from organisation.tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

START = date(2024, 1, 1)
DAY = date(2025, 3, 1)


@pytest.fixture
def joint_case(make_case, alice, maja, municipalities, joint_order, chiefs):
    """A joint case with Ås and Berg (not Dal), sent for BP2."""
    case = make_case("prioritering", joint=True, municipalities=municipalities[:2])
    return walk_to(case, State.BP2)


def decide(case, actor, part="", outcome="bifall"):
    return services.case_decide(
        case_id=case.pk,
        actor=actor,
        point=case.awaiting_point or "BP2",
        part=part,
        outcome=outcome,
        decided_on=DAY,
        motivation=f"{actor} beslutar.",
        registry_reference=f"Dnr {actor.username}",
        participants=f"{actor.username} med ledamöter",
    )


def bp2_parts():
    return DecisionPart.objects.filter(round__point="BP2")


def propose(case, sara):
    return services.proposal_record(
        case_id=case.pk,
        actor=sara,
        point="BP2",
        proposed_on=DAY,
        text="Länssamordningsgruppen föreslår gemensamt införande.",
    )


def test_each_principal_decides_for_itself_and_one_saying_no_leaves_the_case_going_on(
    joint_case, sara, maja, chiefs, alice
):
    propose(joint_case, sara)
    assert decide(joint_case, chiefs["9001"]) is None  # Ås: yes; two parts still due
    assert decide(joint_case, maja) is None  # the region, by the HSD: yes
    decision = decide(joint_case, chiefs["9002"], outcome="avslag")  # Berg: no
    assert decision is not None and decision.outcome == "bifall"
    assert decision.deciding_body.name == "Länsledningen"
    case = Case.objects.get(pk=joint_case.pk)
    assert case.state == State.PLANNING
    parts = {p.key: p.outcome for p in bp2_parts()}
    assert parts == {"region": "bifall", "kommun-9001": "bifall", "kommun-9002": "avslag"}
    taking_part = {name: takes for name, takes, _part in services.taking_part(case)}
    assert taking_part == {"Region Norr": True, "Ås": True, "Berg": False}
    told = alice.notifications.get(key=f"decision-{decision.pk}")
    assert told.text.endswith(": godkänt (2025-03-01). Deltar inte: Berg.")
    # The timeline gives the point's decision to the principals together, not to Berg's chief
    # who happened to record the last part.
    event = decision.events.get()
    assert event.actor is None
    assert event.message == (
        "BP2: Godkänt av Länsledningen, varje huvudman för sin del. Deltar inte: Berg."
    )


def test_the_point_is_decided_only_when_every_part_is_in(joint_case, sara, maja, chiefs):
    propose(joint_case, sara)
    decide(joint_case, maja)
    decide(joint_case, chiefs["9001"])
    assert not Decision.objects.filter(case=joint_case, point="BP2").exists()
    assert Case.objects.get(pk=joint_case.pk).state == State.BP2


def test_parts_wait_for_the_preparing_bodys_proposal(joint_case, maja):
    with pytest.raises(services.ActionRefused, match="Länssamordningsgruppen har inte lämnat"):
        decide(joint_case, maja)
    assert not bp2_parts().exists()


def test_a_municipal_decision_maker_decides_only_for_their_own_municipality(
    joint_case, sara, chiefs
):
    propose(joint_case, sara)
    with pytest.raises(PermissionDenied):
        decide(joint_case, chiefs["9001"], part="region")
    with pytest.raises(PermissionDenied):
        decide(joint_case, chiefs["9001"], part="kommun-9002")
    with pytest.raises(services.ActionRefused, match="finns inte"):
        decide(joint_case, chiefs["9003"], part="kommun-9003")  # Dal is not in the case
    assert not bp2_parts().exists()


def test_a_part_is_recorded_once(joint_case, sara, maja):
    propose(joint_case, sara)
    decide(joint_case, maja)
    with pytest.raises(services.ActionRefused, match="redan registrerat"):
        decide(joint_case, maja, part="region")
    with pytest.raises(TypeError):
        bp2_parts().get().save()


def test_when_every_part_must_approve_the_first_no_decides_the_point(
    joint_case, joint_order, sara, maja, chiefs
):
    # Sent with an order where every part must approve (the order is the one it was sent with).
    round_ = joint_case.decision_rounds.get(point="BP2")
    round_.order = {**round_.order, "each_decides": False}
    round_.save(update_fields=["order"])
    propose(joint_case, sara)
    decide(joint_case, maja)
    decision = decide(joint_case, chiefs["9002"], outcome="ater")
    assert decision.outcome == "ater"
    assert Case.objects.get(pk=joint_case.pk).state == State.GAP_ANALYSIS


def test_a_case_keeps_the_order_it_was_sent_with(
    joint_case, joint_order, make_case, municipalities, sara, maja, chiefs, alice
):
    joint_order.municipal_body = None  # the administrator: the region alone decides now
    services.order_save(rule=joint_order, actor=UserFactory(is_superuser=True))
    assert DecisionRule.objects.get(pk=joint_order.pk).version == 2
    following = services.cases_following(joint_order)
    assert following["keep"] == [joint_case]
    propose(joint_case, sara)
    assert decide(joint_case, maja) is None  # still waits for Ås and Berg
    later = walk_to(make_case("prioritering", joint=True, municipalities=municipalities), State.BP2)
    propose(later, sara)
    assert decide(later, maja).outcome == "bifall"  # the edited order: the region alone


def test_an_order_with_a_point_no_one_can_decide_is_refused(region, joint_order):
    joint_order.deciding_body = None
    joint_order.municipal_body = None
    with pytest.raises(services.ActionRefused, match="ingen kan besluta den"):
        services.order_save(rule=joint_order, actor=UserFactory(is_superuser=True))
    assert DecisionRule.objects.get(pk=joint_order.pk).municipal_body_id is not None


def test_the_decision_document_names_every_part(joint_case, sara, maja, chiefs):
    propose(joint_case, sara)
    decide(joint_case, maja)
    decide(joint_case, chiefs["9001"])
    decision = decide(joint_case, chiefs["9002"], outcome="avslag")
    document = Document.objects.get(decision=decision)
    context = document_context(document)
    named = {spec.label: part.decided_by for spec, part in context["parts"]}
    assert named == {"Region Norr": maja, "Ås": chiefs["9001"], "Berg": chiefs["9002"]}
    assert context["proposal"].text.startswith("Länssamordningsgruppen föreslår")
    assert context["order"].informed == "HälSam politisk samverkan"
    # Who takes no part is said under the outcome, not only in the parts further down.
    assert context["declined"] == ["Berg (införs inte)"]
    from django.template.loader import render_to_string

    html = render_to_string("kunskapsstyrning/pdf/decision.html", context)
    assert 'Beslut: Godkänt<br><span class="small">Deltar inte: Berg (införs inte).</span>' in html


def test_those_informed_are_recorded_with_their_date(joint_case, sara, maja, chiefs):
    propose(joint_case, sara)
    for person in (maja, chiefs["9001"], chiefs["9002"]):
        decision = decide(joint_case, person)
    case = Case.objects.get(pk=joint_case.pk)
    assert services.notice_due(case).decision_id == decision.pk
    notice = services.notice_record(
        case_id=case.pk, actor=sara, decision_id=decision.pk, informed_on=DAY
    )
    assert notice.informed == "HälSam politisk samverkan"
    assert services.notice_due(Case.objects.get(pk=case.pk)) is None


def test_a_point_the_region_does_not_use_is_passed_not_sent(make_case, alice, maja):
    DecisionRule.objects.filter(point="BP1").update(in_use=False)
    case = make_case("prioritering")
    names = [a.name for a in services.available_actions(alice, case)]
    assert "bp1_skipped" in names and "submit_bp1" not in names
    services.case_act(case_id=case.pk, actor=alice, action_name="bp1_skipped")
    assert Case.objects.get(pk=case.pk).state == State.GAP_ANALYSIS
    # Where the point is in use it is a gate: nothing offers the way past it, and the model
    # does not take it.
    case = Case.objects.get(pk=case.pk)
    assert "bp2_skipped" not in [a.name for a in services.available_actions(alice, case)]
    assert not can_proceed(case.bp2_skipped)
    with pytest.raises(PermissionDenied):
        services.case_act(case_id=case.pk, actor=alice, action_name="bp2_skipped")


# --- Pages --------------------------------------------------------------------------------


def test_the_decision_page_of_a_municipality_outside_the_case_is_404(
    client, joint_case, sara, chiefs
):
    propose(joint_case, sara)
    client.force_login(chiefs["9003"])
    url = reverse("kunskapsstyrning:case_decide_part", args=[joint_case.pk, "kommun-9003"])
    # Dal's decision-maker sees the region's cases? No: not in scope either way, 404.
    assert client.get(url).status_code == 404
    client.force_login(sara)
    assert client.get(url).status_code == 404


def test_a_part_that_is_not_the_persons_is_403_and_nothing_is_saved(
    client, joint_case, sara, chiefs, maja
):
    propose(joint_case, sara)
    client.force_login(maja)  # the HSD decides for the region, not for Ås
    url = reverse("kunskapsstyrning:case_decide_part", args=[joint_case.pk, "kommun-9001"])
    data = {
        "step": "confirm",
        "outcome": "bifall",
        "decided_on": "2025-03-01",
        "motivation": "Ja.",
    }
    assert client.post(url, data).status_code == 403
    assert not bp2_parts().exists()
    client.force_login(chiefs["9001"])
    response = client.post(url, data)
    assert response.status_code == 302
    assert bp2_parts().get().decided_by == chiefs["9001"]


def test_the_case_page_shows_each_part_and_who_decides_it(client, joint_case, sara, maja):
    propose(joint_case, sara)
    decide(joint_case, maja)
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:case_detail", args=[joint_case.pk])).content
    text = page.decode()
    assert "Varje huvudman beslutar för sig" in text
    assert "Ås" in text and "Berg" in text and "Väntar" in text
    assert "hälso- och sjukvårdsdirektören" in text


@pytest.fixture
def administrator(office):
    person = UserFactory(username="admin.rn")
    member(person, office, Role.ADMINISTRATOR, start_date=START)
    return person


def test_the_administrator_keeps_the_order_in_the_pages(
    client, region, administrator, management_body, joint_case, joint_order
):
    client.force_login(administrator)
    listing = client.get(reverse("kunskapsstyrning:decision_orders", args=[region.pk]))
    assert listing.status_code == 200
    assert "Varje deltagande kommun" in listing.content.decode()
    url = reverse("kunskapsstyrning:decision_order_edit", args=[region.pk, "BP2", "gemensamma"])
    page = client.get(url).content.decode()
    assert joint_case.registry_number in page  # the case that keeps the order it was sent with
    refused = client.post(url, {"in_use": "on", "informed": "HälSam"})
    assert refused.status_code == 200
    assert "ingen kan besluta den" in refused.content.decode()
    saved = client.post(
        url,
        {"in_use": "on", "deciding_body": management_body.pk, "informed": "HälSam"},
    )
    assert saved.status_code == 302
    rule = DecisionRule.objects.get(pk=joint_order.pk)
    assert (rule.municipal_body, rule.version) == (None, 2)


def test_the_order_page_says_who_last_edited_each_point_and_when(
    client, region, administrator, management_body, joint_order, django_assert_num_queries
):
    client.force_login(administrator)
    listing = reverse("kunskapsstyrning:decision_orders", args=[region.pk])
    client.get(listing)  # warm: the session row is written once after login
    # session, user, scope, the region, the rules with who edited them (one join, no more)
    with django_assert_num_queries(5):
        assert "ändrad av" not in client.get(listing).content.decode()  # reference data
    url = reverse("kunskapsstyrning:decision_order_edit", args=[region.pk, "BP2", "gemensamma"])
    client.post(url, {"in_use": "on", "deciding_body": management_body.pk, "informed": "HälSam"})
    rule = DecisionRule.objects.get(pk=joint_order.pk)
    assert rule.changed_by == administrator
    when = timezone.localtime(rule.changed_at).strftime("%Y-%m-%d %H:%M")
    with django_assert_num_queries(5):
        page = client.get(listing).content.decode()
    assert f"ändrad av {administrator.get_full_name()} {when}" in page


def test_the_order_pages_are_the_regions_administrators(
    client, region, other_region, administrator, sara
):
    url = reverse("kunskapsstyrning:decision_orders", args=[region.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(sara)
    assert client.get(url).status_code == 403
    client.force_login(administrator)
    other = reverse("kunskapsstyrning:decision_orders", args=[other_region.pk])
    assert client.get(other).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
)
def test_two_people_recording_the_same_part_at_once_record_it_once(
    joint_case, sara, chiefs, lansledning, municipalities
):
    # Ås's förvaltningschef and a deputy, both in länsledningen for Ås, press at once.
    deputy = UserFactory(username="ersattare", municipality=municipalities[0])
    member(deputy, lansledning, Role.MANAGEMENT, start_date=START)
    propose(joint_case, sara)
    people = [chiefs["9001"], deputy]

    def record(i):
        return decide(joint_case, type(deputy).objects.get(pk=people[i].pk), part="kommun-9001")

    results = run_at_once(record, count=2)
    losers = [r for kind, r in results if kind == "error"]
    assert [kind for kind, _r in results].count("ok") == 1
    assert len(losers) == 1 and isinstance(losers[0], services.ActionRefused)
    assert "redan registrerat" in losers[0].message or "Någon annan" in losers[0].message
    assert bp2_parts().filter(key="kommun-9001").count() == 1


def test_a_municipal_decision_maker_is_asked_only_for_cases_their_municipality_is_in(
    joint_case, chiefs, maja
):
    from kunskapsstyrning.selectors import awaiting_decision_of

    assert awaiting_decision_of(chiefs["9001"]) == [joint_case]  # Ås is in the case
    assert awaiting_decision_of(chiefs["9003"]) == []  # Dal is not
    assert awaiting_decision_of(maja) == [joint_case]  # the HSD decides for the region


def test_a_decision_maker_is_no_longer_asked_once_their_own_part_is_in(
    joint_case, sara, chiefs, maja
):
    from kunskapsstyrning.selectors import awaiting_decision_of

    propose(joint_case, sara)
    decide(joint_case, chiefs["9001"], part="kommun-9001")
    assert awaiting_decision_of(chiefs["9001"]) == []  # Ås has decided
    assert awaiting_decision_of(chiefs["9002"]) == [joint_case]  # Berg has not
    assert awaiting_decision_of(maja) == [joint_case]  # nor the region
    decide(joint_case, maja, part="region")
    assert awaiting_decision_of(maja) == []
    assert awaiting_decision_of(chiefs["9002"]) == [joint_case]


# --- Correcting one part of a joint decision ------------------------------------------------


def decided_jointly(joint_case, sara, maja, chiefs):
    propose(joint_case, sara)
    decide(joint_case, maja)
    decide(joint_case, chiefs["9001"])
    return decide(joint_case, chiefs["9002"], outcome="avslag")


def berg_and_two_deciders(joint_case, sara, maja, chiefs, lansledning):
    """BP2 decided with Berg saying no; Berg's part and the two who may record for Berg (its
    chief and a deputy in länsledningen), for acting at once."""
    decided_jointly(joint_case, sara, maja, chiefs)
    deputy = UserFactory(username="ersattare", municipality=chiefs["9002"].municipality)
    member(deputy, lansledning, Role.MANAGEMENT, start_date=START)
    return bp2_parts().get(key="kommun-9002"), [chiefs["9002"], deputy]


def correct_part(part, actor, **changes):
    values = {"motivation": "Berg avstår i år.", "reason": "Fel diarienummer", **changes}
    return services.decision_part_correct(part_id=part.pk, actor=actor, **values)


def test_a_municipality_corrects_its_own_part_and_the_decision_gets_a_new_document(
    joint_case, sara, maja, chiefs, alice
):
    decision = decided_jointly(joint_case, sara, maja, chiefs)
    berg = bp2_parts().get(key="kommun-9002")
    correction = correct_part(berg, chiefs["9002"], registry_reference="KS 2025/77")
    # The part as recorded stays; the record now says what the correction says.
    berg = DecisionPart.objects.get(pk=berg.pk)
    assert berg.registry_reference == "Dnr chef9002" and berg.outcome == "avslag"
    assert berg.record == correction and berg.record.registry_reference == "KS 2025/77"
    versions = Document.objects.filter(decision=decision).values_list("version", flat=True)
    assert list(versions) == [1, 2]
    context = document_context(Document.objects.get(decision=decision, version=2))
    shown = {spec.label: part.record.registry_reference for spec, part in context["parts"]}
    assert shown == {"Region Norr": "Dnr maja", "Ås": "Dnr chef9001", "Berg": "KS 2025/77"}
    event = joint_case.events.latest("pk")
    assert event.message == (
        "Delbeslut BP2 för Berg rättat (diariereferens Dnr chef9002 → KS 2025/77, närvarande vid "
        "beslutet, motivering): Fel diarienummer"
    )
    assert event.actor == chiefs["9002"]
    told = alice.notifications.get(key=f"part-correction-{correction.pk}")
    assert "delbeslutet för Berg rättades (Fel diarienummer). Nytt beslutsdokument." in told.text
    # The document's timeline dates the correction by when it was made, not by the decision.
    html = render_to_string(TEMPLATES["beslut_bp2"], context)
    today = timezone.localdate().isoformat()
    assert f"<p>{today} – Delbeslut BP2 för Berg rättat" in html
    # The case goes on as decided: Berg still takes no part.
    taking_part = {name: takes for name, takes, _part in services.taking_part(joint_case)}
    assert taking_part == {"Region Norr": True, "Ås": True, "Berg": False}


def test_only_whoever_records_a_part_corrects_it_and_nothing_half_is_saved(
    joint_case, sara, maja, chiefs
):
    decided_jointly(joint_case, sara, maja, chiefs)
    berg = bp2_parts().get(key="kommun-9002")
    for someone in (maja, chiefs["9001"], sara):  # the region's HSD, Ås's chief, the strategist
        with pytest.raises(PermissionDenied):
            correct_part(berg, someone)
    with pytest.raises(services.ActionRefused, match="Ange varför"):
        correct_part(berg, chiefs["9002"], reason="  ")
    with pytest.raises(services.ActionRefused, match="motivering"):
        correct_part(berg, chiefs["9002"], motivation="")
    assert not berg.corrections.exists()
    assert Document.objects.filter(decision__point="BP2").count() == 1


def test_a_correction_made_from_an_older_version_is_refused(joint_case, sara, maja, chiefs):
    decided_jointly(joint_case, sara, maja, chiefs)
    berg = bp2_parts().get(key="kommun-9002")
    first = correct_part(berg, chiefs["9002"])
    with pytest.raises(services.ActionRefused, match="rättade just delbeslutet"):
        correct_part(berg, chiefs["9002"], reason="Fel villkor")  # filled in before `first`
    second = correct_part(berg, chiefs["9002"], reason="Fel villkor", based_on=first.pk)
    assert DecisionPart.objects.get(pk=berg.pk).record == second


def test_a_part_corrected_before_the_point_is_decided_is_in_the_decision_document(
    joint_case, sara, maja, chiefs
):
    propose(joint_case, sara)
    decide(joint_case, maja)
    region_part = bp2_parts().get(key="region")
    correct_part(region_part, maja, motivation="Regionen inför stegvis.", reason="Ofullständig")
    assert not Document.objects.filter(decision__point="BP2").exists()  # nothing decided yet
    decide(joint_case, chiefs["9001"])
    decision = decide(joint_case, chiefs["9002"])
    context = document_context(Document.objects.get(decision=decision))
    motivations = {spec.label: part.record.motivation for spec, part in context["parts"]}
    assert motivations["Region Norr"] == "Regionen inför stegvis."


def test_the_part_correction_page_is_404_out_of_scope_403_not_theirs_and_corrects(
    client, joint_case, sara, maja, chiefs, sven
):
    decided_jointly(joint_case, sara, maja, chiefs)
    berg = bp2_parts().get(key="kommun-9002")
    url = reverse("kunskapsstyrning:decision_part_correct", args=[joint_case.pk, berg.pk])
    client.force_login(sven)  # another region's strategist
    assert client.get(url).status_code == 404
    other = reverse("kunskapsstyrning:decision_part_correct", args=[joint_case.pk, 10**6])
    client.force_login(chiefs["9002"])
    assert client.get(other).status_code == 404  # no such part in the case
    client.force_login(maja)  # sees the case; Berg's part is not hers
    assert client.get(url).status_code == 403
    assert client.post(url, {"motivation": "X", "reason": "Y"}).status_code == 403
    case_url = reverse("kunskapsstyrning:case_detail", args=[joint_case.pk])
    page = client.get(case_url).content.decode()
    assert page.count("Rätta delbeslutet<span") == 1 and url not in page  # the region's only
    client.force_login(chiefs["9002"])
    page = client.get(case_url).content.decode()
    assert page.count("Rätta delbeslutet<span") == 1  # Berg's only
    form = client.get(url).content.decode()
    assert "Rätta delbeslut vid BP2 för" in form and "Dnr chef9002" in form
    refused = client.post(url, {"motivation": "Berg avstår.", "reason": ""}).content.decode()
    assert "Ange varför beslutet rättas." in refused
    assert not berg.corrections.exists()
    response = client.post(
        url, {"motivation": "Berg avstår.", "reason": "Fel dnr", "registry_reference": "KS 77"}
    )
    assert response.status_code == 302
    page = client.get(case_url).content.decode()
    assert "Diariereferens: KS 77" in page and "Fel dnr" in page
    assert "Diariereferens: Dnr chef9002" not in page  # the timeline says what it was


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
)
def test_two_corrections_of_the_same_part_at_once_keep_one_and_refuse_the_other(
    joint_case, sara, maja, chiefs, lansledning
):
    berg, people = berg_and_two_deciders(joint_case, sara, maja, chiefs, lansledning)

    def correct(i):
        person = type(people[i]).objects.get(pk=people[i].pk)
        return correct_part(berg, person, reason=f"Rättelse {i}")

    results = run_at_once(correct, count=2)
    assert [kind for kind, _r in results].count("ok") == 1
    [loser] = [r for kind, r in results if kind == "error"]
    assert isinstance(loser, services.ActionRefused) and "rättade just" in loser.message
    assert berg.corrections.count() == 1
    assert Document.objects.filter(decision__point="BP2").count() == 2


def test_a_part_recorded_while_others_are_due_can_be_corrected_from_the_case_page(
    client, joint_case, sara, maja, chiefs
):
    propose(joint_case, sara)
    decide(joint_case, maja)
    region_part = bp2_parts().get(key="region")
    url = reverse("kunskapsstyrning:decision_part_correct", args=[joint_case.pk, region_part.pk])
    case_url = reverse("kunskapsstyrning:case_detail", args=[joint_case.pk])
    client.force_login(chiefs["9001"])  # Ås's part is still due; the region's is not theirs
    assert url not in client.get(case_url).content.decode()
    client.force_login(maja)
    assert url in client.get(case_url).content.decode()
    form = client.get(url).content.decode()
    assert "beslutsdokumentet tar med den när alla delar är beslutade" in form
    client.post(url, {"motivation": "Regionen inför stegvis.", "reason": "Ofullständig"})
    assert DecisionPart.objects.get(pk=region_part.pk).record.motivation == (
        "Regionen inför stegvis."
    )


def test_one_bodys_decision_is_corrected_as_a_whole_not_by_its_part(client, make_case, alice, maja):
    case = walk_to(make_case("prioritering"), State.BP1)
    decision = decide(case, maja)
    part = DecisionPart.objects.get(round__decision=decision)
    with pytest.raises(services.ActionRefused, match="rätta beslutet i stället"):
        correct_part(part, maja)
    assert not part.corrections.exists()
    client.force_login(maja)
    url = reverse("kunskapsstyrning:decision_part_correct", args=[case.pk, part.pk])
    assert client.get(url).status_code == 404  # "Rätta beslutet" is the way


def test_each_part_keeps_who_was_present_where_it_was_decided(joint_case, sara, maja, chiefs):
    decision = decided_jointly(joint_case, sara, maja, chiefs)
    present = {p.key: p.participants for p in bp2_parts()}
    assert present == {
        "region": "maja med ledamöter",
        "kommun-9001": "chef9001 med ledamöter",
        "kommun-9002": "chef9002 med ledamöter",
    }
    # Not the last decider's meeting as if it were everyone's.
    assert decision.participants == ""
    berg = bp2_parts().get(key="kommun-9002")
    correct_part(berg, chiefs["9002"], participants="Berg: nämnden", based_on=None)
    context = document_context(Document.objects.filter(decision=decision).latest("version"))
    shown = {spec.label: part.record.participants for spec, part in context["parts"]}
    assert shown["Berg"] == "Berg: nämnden" and shown["Ås"] == "chef9001 med ledamöter"
    assert "närvarande vid beslutet" in joint_case.events.latest("pk").message


def test_the_first_document_of_a_decision_with_a_corrected_part_points_to_the_later_one(
    joint_case, sara, maja, chiefs
):
    from kunskapsstyrning import documents

    decision = decided_jointly(joint_case, sara, maja, chiefs)
    first = documents.render_document(Document.objects.get(decision=decision))
    correct_part(bp2_parts().get(key="kommun-9002"), chiefs["9002"])
    later = documents.render_document(Document.objects.get(decision=decision, version=2))
    assert documents.document_verify(first.file.read()).superseded_by == later
    assert documents.document_verify(later.file.read()).superseded_by is None
    # The case page's list says so too.
    listed = selectors.mark_superseded(joint_case, list(joint_case.documents.all()))
    assert {d.version: d.superseded for d in listed if d.decision_id == decision.pk} == {
        1: True,
        2: False,
    }


# --- A municipality that said no joins later, by its own decision ------------------------


def accede(part, actor, **changes):
    values = {
        "decided_on": date(2025, 4, 1),
        "motivation": "Kommunstyrelsen beslutade att delta.",
        "registry_reference": "KS 2025/12",
        "participants": "Kommunstyrelsens arbetsutskott",
        **changes,
    }
    return services.municipality_accede(part_id=part.pk, actor=actor, **values)


def takes_part(case):
    case = Case.objects.get(pk=case.pk)
    return {name: takes for name, takes, _part in services.taking_part(case)}


def test_a_municipality_that_said_no_joins_later_and_the_decision_document_says_so(
    joint_case, sara, maja, chiefs, alice
):
    decision = decided_jointly(joint_case, sara, maja, chiefs)
    assert takes_part(joint_case) == {"Region Norr": True, "Ås": True, "Berg": False}
    berg = bp2_parts().get(key="kommun-9002")
    accession = accede(berg, chiefs["9002"])
    assert takes_part(joint_case) == {"Region Norr": True, "Ås": True, "Berg": True}
    # The part said no and still says so; the accession is a record beside it.
    berg = DecisionPart.objects.get(pk=berg.pk)
    assert berg.outcome == "avslag" and berg.joined_later == accession
    event = joint_case.events.latest("pk")
    assert event.message == (
        "Berg ansluter till det gemensamma arbetet genom eget beslut 2025-04-01 "
        "(delbeslut vid BP2: införs inte)."
    )
    assert event.actor == chiefs["9002"]
    versions = Document.objects.filter(decision=decision).values_list("version", flat=True)
    assert list(versions) == [1, 2]
    first = document_context(Document.objects.get(decision=decision, version=1))
    latest = document_context(Document.objects.get(decision=decision, version=2))
    assert first["declined"] == [] and first["joined"] == ["Berg (2025-04-01)"]  # read now
    assert latest["declined"] == [] and latest["joined"] == ["Berg (2025-04-01)"]
    html = render_to_string(TEMPLATES["beslut_bp2"], latest)
    assert "Anslöt senare genom eget beslut: Berg (2025-04-01)." in html
    assert "Anslöt senare:</b> 2025-04-01" in html and "diariereferens KS 2025/12" in html
    assert "Deltar inte: Berg (" not in html  # under the outcome; the timeline keeps its day
    for person in (alice, sara):  # the chair and the strategist
        told = person.notifications.get(key=f"accession-{accession.pk}", kind="anslutning")
        assert "Berg ansluter till det gemensamma arbetet (eget beslut 2025-04-01" in told.text


def test_joining_is_for_the_municipality_s_own_decider_once_and_nothing_half_is_saved(
    joint_case, sara, maja, chiefs
):
    decided_jointly(joint_case, sara, maja, chiefs)
    berg = bp2_parts().get(key="kommun-9002")
    for someone in (maja, chiefs["9001"], sara):  # the region's HSD, Ås's chief, the strategist
        with pytest.raises(PermissionDenied):
            accede(berg, someone)
    refusals = [
        ({"motivation": "  "}, "motivering"),
        ({"decided_on": date(2025, 2, 1)}, "före beslutet vid BP2 \\(2025-03-01\\)"),
        (
            {"decided_on": timezone.localdate() + timedelta(days=10)},
            "framtiden",
        ),
    ]
    for changes, message in refusals:
        with pytest.raises(services.ActionRefused, match=message):
            accede(berg, chiefs["9002"], **changes)
    as_part = bp2_parts().get(key="kommun-9001")
    with pytest.raises(services.ActionRefused, match="Ås deltar redan"):
        accede(as_part, chiefs["9001"])
    assert not Accession.objects.exists()
    assert Document.objects.filter(decision__point="BP2").count() == 1
    accede(berg, chiefs["9002"])
    with pytest.raises(services.ActionRefused, match="har redan registrerat att Berg ansluter"):
        accede(berg, chiefs["9002"])
    assert Accession.objects.count() == 1


def test_a_closed_case_cannot_be_joined(joint_case, sara, maja, chiefs):
    decided_jointly(joint_case, sara, maja, chiefs)
    Case.objects.filter(pk=joint_case.pk).update(state=State.CLOSED)
    berg = bp2_parts().get(key="kommun-9002")
    with pytest.raises(services.ActionRefused, match="ingen kan ansluta"):
        accede(berg, chiefs["9002"])
    assert not Accession.objects.exists()


def test_the_joining_page_is_404_out_of_scope_403_not_theirs_and_records_the_decision(
    client, joint_case, sara, maja, chiefs, sven
):
    decided_jointly(joint_case, sara, maja, chiefs)
    berg = bp2_parts().get(key="kommun-9002")
    url = reverse("kunskapsstyrning:municipality_accede", args=[joint_case.pk, berg.pk])
    case_url = reverse("kunskapsstyrning:case_detail", args=[joint_case.pk])
    client.force_login(sven)  # another region's strategist
    assert client.get(url).status_code == 404
    client.force_login(chiefs["9002"])
    region_part = bp2_parts().get(key="region")
    for other in (10**6, region_part.pk):  # no such part; not a municipality's
        missing = reverse("kunskapsstyrning:municipality_accede", args=[joint_case.pk, other])
        assert client.get(missing).status_code == 404
    client.force_login(maja)  # sees the case; Berg's decision is not hers
    assert client.get(url).status_code == 403
    assert client.post(url, {"decided_on": "2025-04-01", "motivation": "X"}).status_code == 403
    assert url not in client.get(case_url).content.decode()
    client.force_login(chiefs["9002"])
    page = client.get(case_url).content.decode()
    assert "Registrera att Berg ansluter" in page and url in page
    form = client.get(url).content.decode()
    assert (
        "Berg ansluter till det gemensamma arbetet" in form
        and "vid BP2: Införs inte (2025-03-01" in form
    )
    refused = client.post(url, {"decided_on": "2025-04-01", "motivation": ""}).content.decode()
    assert "Ett beslut behöver en motivering." in refused
    refused = client.post(url, {"decided_on": "2025-02-01", "motivation": "Ja"}).content.decode()
    assert "Anslutningen kan inte ligga före beslutet vid BP2 (2025-03-01)" in refused
    assert "Ja</textarea>" in refused  # what was typed is kept
    assert not Accession.objects.exists()
    response = client.post(
        url,
        {"decided_on": "2025-04-01", "motivation": "Berg deltar.", "registry_reference": "KS 9"},
    )
    assert response.status_code == 302 and response.url == case_url
    page = client.get(case_url).content.decode()
    assert "Berg: deltar" in page and "anslöt 2025-04-01; delbeslut vid BP2: införs inte" in page
    assert "Registrera att Berg ansluter" not in page
    again = client.get(url, follow=True)
    assert "Berg har redan anslutit (2025-04-01)." in again.content.decode()
    client.force_login(maja)  # still not hers, whether Berg has joined or not
    assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
)
def test_two_deciders_recording_the_same_accession_at_once_record_it_once(
    joint_case, sara, maja, chiefs, lansledning
):
    berg, people = berg_and_two_deciders(joint_case, sara, maja, chiefs, lansledning)

    def record(i):
        return accede(berg, type(people[i]).objects.get(pk=people[i].pk))

    results = run_at_once(record, count=2)
    assert [kind for kind, _r in results].count("ok") == 1
    [loser] = [r for kind, r in results if kind == "error"]
    assert isinstance(loser, services.ActionRefused) and "redan registrerat" in loser.message
    assert Accession.objects.count() == 1
    assert Document.objects.filter(decision__point="BP2").count() == 2


def test_a_municipality_that_approves_a_later_point_where_each_decides_takes_part_again(
    joint_case, sara, maja, chiefs, management_body, lansledning
):
    decided_jointly(joint_case, sara, maja, chiefs)  # Berg: no at BP2
    DecisionRule.objects.filter(region=joint_case.region, point="BP3").delete()
    DecisionRule.objects.create(
        region=joint_case.region,
        point="BP3",
        applies_to=DecisionRule.AppliesTo.JOINT,
        deciding_body=management_body,
        municipal_body=lansledning,
        each_decides=True,
    )
    case = walk_to(Case.objects.get(pk=joint_case.pk), State.BP3)
    decide(case, maja, part="region")
    decide(case, chiefs["9001"], part="kommun-9001")
    assert takes_part(case)["Berg"] is False  # not yet
    decide(case, chiefs["9002"], part="kommun-9002")  # Berg says yes at BP3
    assert takes_part(case) == {"Region Norr": True, "Ås": True, "Berg": True}
    berg_bp2 = bp2_parts().get(key="kommun-9002")
    assert not services.may_accede(chiefs["9002"], case, berg_bp2)  # nothing left to join
