"""A BP1 meeting of Region Norr's health-care management with three cases awaiting BP1."""

import pytest
from django.utils import timezone

from kunskapsstyrning.tests.factories import KnowledgeSupportFactory
from sammantraden import services

TITLES = ["Stroke och TIA", "Sepsis", "Grav hörselnedsättning"]


@pytest.fixture
def bp1_cases(make_case, alice, maja):
    return [
        make_case("bp1", knowledge_support=KnowledgeSupportFactory(title=title)) for title in TITLES
    ]


@pytest.fixture
def meeting(sara, region, management_body, decision_rules):
    return services.meeting_create(
        actor=sara,
        region=region,
        deciding_body=management_body,
        point="BP1",
        date=timezone.localdate(),
        participants="Maja Ledning, HSD",
    )


@pytest.fixture
def agenda(meeting, bp1_cases, sara):
    services.meeting_add_cases(
        meeting_id=meeting.pk, actor=sara, case_ids=[c.pk for c in bp1_cases]
    )
    return meeting


@pytest.fixture
def foreign_case(other_region, foreign_lpo, sven, support):
    """Region Syd's case, registered by its own strategist."""
    from kunskapsstyrning import services as core

    return core.case_register(
        actor=sven,
        region=other_region,
        knowledge_support=support,
        responsible_lpo=foreign_lpo,
        strategist=sven,
        start_at_remiss=False,
    )


def decide(item, actor, outcome="bifall", **fields):
    return services.meeting_decide(
        item_id=item.pk,
        actor=actor,
        outcome=outcome,
        decided_on=fields.pop("decided_on", timezone.localdate()),
        motivation=fields.pop("motivation", "Möjligt och viktigt."),
        **fields,
    )
