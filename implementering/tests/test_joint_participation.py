"""A joint case after one municipality said no to its own part of BP2 (issue 13): the plan's
follow-up offers only the principals that take part, and where the region does not use BP3 the
case page says why implementation cannot start yet."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from implementering import services
from implementering.models import Period
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import DecisionRule, State
from kunskapsstyrning.tests.helpers import walk_to
from organisation.models import Municipality, Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

START = date(2024, 1, 1)
DAY = date(2025, 3, 1)


@pytest.fixture
def declined_case(region, make_case, alice, maja, sara, management_body):
    """A joint case with Ås and Berg past BP2, where Berg's förvaltningschef said no."""
    lansledning = UnitFactory(kind=UnitKind.LANSLEDNING, name="Länsledningen", region=region)
    lansamordning = UnitFactory(
        kind=UnitKind.LANSSAMORDNING, name="Länssamordningsgruppen", region=region
    )
    municipalities = [
        Municipality.objects.create(code=code, name=name, region=region)
        for code, name in [("9001", "Ås"), ("9002", "Berg")]
    ]
    chiefs = []
    for municipality in municipalities:
        chief = UserFactory(username=f"chef{municipality.code}", municipality=municipality)
        member(chief, lansledning, Role.MANAGEMENT, start_date=START)
        chiefs.append(chief)
    DecisionRule.objects.create(
        region=region,
        point="BP2",
        applies_to=DecisionRule.AppliesTo.JOINT,
        preparing_body=lansamordning,
        deciding_body=management_body,
        region_decider="hälso- och sjukvårdsdirektören",
        municipal_body=lansledning,
        municipal_decider="förvaltningschef",
        each_decides=True,
    )
    case = walk_to(make_case("prioritering", joint=True, municipalities=municipalities), State.BP2)
    case_services.proposal_record(
        case_id=case.pk, actor=sara, point="BP2", proposed_on=DAY, text="Gemensamt införande."
    )
    for actor, outcome in [(maja, "bifall"), (chiefs[0], "bifall"), (chiefs[1], "avslag")]:
        case_services.case_decide(
            case_id=case.pk,
            actor=actor,
            point="BP2",
            outcome=outcome,
            decided_on=DAY,
            motivation="Beslutat.",
        )
    case.refresh_from_db()
    assert case.state == State.PLANNING
    return case


def test_a_municipality_that_said_no_is_not_offered_in_the_follow_up(declined_case, alice):
    assert [m.name for m in services.participating_municipalities(declined_case)] == ["Ås"]
    berg = Municipality.objects.get(name="Berg")
    with pytest.raises(ValidationError) as raised:
        services.indicator_save(
            case_id=declined_case.pk,
            actor=alice,
            data={
                "code": "K-1",
                "name": "Boendestöd",
                "period": Period.MONTH,
                "municipality": berg,
            },
        )
    assert "deltar inte" in str(raised.value)
    in_as = services.indicator_save(
        case_id=declined_case.pk,
        actor=alice,
        data={
            "code": "K-2",
            "name": "Boendestöd",
            "period": Period.MONTH,
            "municipality": Municipality.objects.get(name="Ås"),
        },
    )
    assert in_as.municipality.name == "Ås"


def test_a_municipality_that_joins_later_is_offered_again(declined_case, alice):
    from kunskapsstyrning.models import DecisionPart

    berg = Municipality.objects.get(name="Berg")
    part = DecisionPart.objects.get(round__case=declined_case, municipality=berg)
    case_services.municipality_accede(
        part_id=part.pk,
        actor=part.decided_by,
        decided_on=DAY,
        motivation="Socialnämnden beslutade att delta.",
    )
    assert [m.name for m in services.participating_municipalities(declined_case)] == ["Berg", "Ås"]
    indicator = services.indicator_save(
        case_id=declined_case.pk,
        actor=alice,
        data={"code": "K-3", "name": "Boendestöd", "period": Period.MONTH, "municipality": berg},
    )
    assert indicator.municipality == berg


def test_the_indicator_page_lists_only_the_municipalities_taking_part(client, declined_case, alice):
    client.force_login(alice)
    response = client.get(reverse("implementering:indicator_create", args=[declined_case.pk]))
    options = response.context["form"].fields["municipality"].queryset
    assert [m.name for m in options] == ["Ås"]


def test_where_bp3_is_not_used_the_page_says_the_checklist_is_not_ticked(make_case, alice, maja):
    DecisionRule.objects.filter(point="BP3").update(in_use=False)
    case = make_case("planering")
    assert case_services.transition_refusal(case, "bp3_skipped") in (
        "BP3-checklistan är inte påbörjad: starta införandeplanen först.",
        "Inte alla punkter i BP3-checklistan är avbockade.",
    )


def test_where_bp2_is_not_used_the_page_says_the_analysis_is_not_ready(make_case, alice, maja):
    DecisionRule.objects.filter(point="BP2").update(in_use=False)
    case = make_case("gapanalys")
    refusal = case_services.transition_refusal(case, "bp2_skipped")
    assert refusal and refusal != "Förutsättningarna för åtgärden är inte uppfyllda."


def test_the_plan_says_who_takes_part_and_who_said_no(client, declined_case, alice):
    services.plan_start(case_id=declined_case.pk, actor=alice)
    client.force_login(alice)
    page = client.get(
        reverse("implementering:plan_detail", args=[declined_case.pk])
    ).content.decode()
    assert "Region Norr, Ås" in page
    assert "Berg deltar inte" in page
    assert "avslag vid BP2 2025-03-01" in page.lower() or "vid BP2 2025-03-01" in page


def test_the_municipality_is_asked_only_of_one_who_plans_municipal_activities(declined_case):
    from gapanalys.models import GapRow, Principal
    from implementering.forms import ActivityForm

    municipalities = services.participating_municipalities(declined_case)
    joint_only = ActivityForm(
        gap_rows=GapRow.objects.none(),
        principal_choices=[(Principal.JOINT, "Gemensam")],
        municipalities=municipalities,
    )
    assert "municipality" not in joint_only.fields  # a county group plans the joint ones
    both = ActivityForm(
        gap_rows=GapRow.objects.none(),
        principal_choices=[(Principal.JOINT, "Gemensam"), (Principal.MUNICIPALITY, "Kommun")],
        municipalities=municipalities,
    )
    assert list(both.fields["municipality"].queryset) == list(municipalities)
