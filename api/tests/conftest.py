"""API fixtures beside the root personas: tokens, a client that sends one, and a case with
something in every endpoint (decisions and documents, a gap analysis, indicators)."""

from datetime import date

import pytest
from django.core.cache import caches
from django.test import Client

from api import services
from gapanalys.models import GapAnalysis, GapRow
from gapanalys.services import summary_refresh
from implementering.models import FollowUpIndicator, Measurement


@pytest.fixture(autouse=True)
def empty_rate_counts():
    """Every test starts with no requests counted against the rate."""
    caches["api"].clear()


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_of():
    """token_of(user) -> (token, secret): a fresh token made through the service."""

    def make(user, name="Intranätet"):
        return services.token_create(user=user, name=name)

    return make


@pytest.fixture
def api_as(token_of):
    """api_as(user) -> a client whose every request carries a token of `user`."""

    def make(user):
        _token, secret = token_of(user)
        return Client(**bearer(secret))

    return make


def fill_case(case, actor):
    """A gap analysis (rows 1–4 gör vi / delvis / gör vi inte / ej aktuellt, row 5 not assessed)
    and an indicator with two months measured, on a case that has passed BP2 (and so has the
    analysis its walk past BP2 made, whose rows are set here)."""
    analysis, _created = GapAnalysis.objects.get_or_create(case=case)
    states = ["gor_vi", "delvis", "gor_vi_inte", "ej_aktuellt", ""]
    for recommendation, state in zip(
        case.knowledge_support.recommendations.order_by("number"), states, strict=True
    ):
        GapRow.objects.update_or_create(
            analysis=analysis, recommendation=recommendation, defaults={"current_state": state}
        )
    summary_refresh(analysis_id=analysis.pk)
    indicator = FollowUpIndicator.objects.create(
        case=case, code="L1", name="Andel med uppföljning", created_by=actor
    )
    for month, numerator in ((1, 40), (2, 45)):
        Measurement.objects.create(
            indicator=indicator,
            period_start=date(2025, month, 1),
            numerator=numerator,
            denominator=100,
            entered_by=actor,
        )
    return analysis, indicator


@pytest.fixture
def full_case(make_case, alice, maja, sara):
    """Alice's case in planning (BP1 and BP2 decided, their documents rendered), with a gap
    analysis and an indicator."""
    case = make_case("planering")
    fill_case(case, sara)
    return case


@pytest.fixture
def foreign_case(other_region, foreign_lpo, sven, support):
    """A case of Region Syd with something in every endpoint: outside every Norr persona's scope."""
    from kunskapsstyrning import services as case_services
    from kunskapsstyrning.models import DecisionRule
    from kunskapsstyrning.tests.helpers import walk_to
    from organisation.models import Role, UnitKind
    from organisation.tests.factories import UnitFactory, UserFactory, member

    body = UnitFactory(kind=UnitKind.HSL, name="HSL Syd", code="RS_HSL", region=other_region)
    for point in ("BP1", "BP2", "BP3"):
        DecisionRule.objects.create(region=other_region, point=point, deciding_body=body)
    member(UserFactory(username="ledning_syd"), body, Role.MANAGEMENT, start_date=date(2024, 1, 1))
    member(UserFactory(username="chair_syd"), foreign_lpo, Role.CHAIR, start_date=date(2024, 1, 1))
    case = case_services.case_register(
        actor=sven,
        region=other_region,
        knowledge_support=support,
        responsible_lpo=foreign_lpo,
        strategist=sven,
        start_at_remiss=False,
    )
    case = walk_to(case, "planering")
    fill_case(case, sven)
    return case
