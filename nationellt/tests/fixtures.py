"""Two regions working on the same knowledge support: Region Norr (the root personas) and
Region Syd, whose analysis and plan hold texts that must never leak where Syd does not share.

A plugin of the root conftest (`pytest_plugins`): the browser journey uses them too."""

from datetime import date

import pytest

from gapanalys.models import GapAnalysis, GapRow
from implementering.models import Activity, ImplementationPlan
from kunskapsstyrning import services as case_services
from nationellt.models import RegionSharing

PRIVATE_PRACTICE = "Syds hemliga nuläge"
PRIVATE_PROPOSAL = "Syds interna förslag"
PRIVATE_ACTIVITY = "Syds egen aktivitet"


@pytest.fixture
def recommendations(support):
    """The support's first two recommendations (the fixture gives it five)."""
    return list(support.recommendations.order_by("number")[:2])


@pytest.fixture
def south(sven, other_region, foreign_lpo, support, recommendations):
    """Region Syd's case with an analysis and a plan it does not share."""
    case = case_services.case_register(
        actor=sven,
        region=other_region,
        knowledge_support=support,
        responsible_lpo=foreign_lpo,
        strategist=sven,
        start_at_remiss=False,
    )
    analysis = GapAnalysis.objects.create(case=case)
    for rec, state in zip(recommendations, ["gor_vi_inte", "gor_vi_inte"], strict=True):
        GapRow.objects.create(
            analysis=analysis,
            recommendation=rec,
            current_state=state,
            today_practice=PRIVATE_PRACTICE,
            proposal=PRIVATE_PROPOSAL,
        )
    plan = ImplementationPlan.objects.create(case=case)
    Activity.objects.create(
        plan=plan,
        title=PRIVATE_ACTIVITY,
        principal="region",
        responsible="Sven Syd",
        start=date(2030, 1, 1),
        due=date(2030, 6, 1),
    )
    return case


@pytest.fixture
def north_fresh(make_case, alice, maja, lars, lag):
    """Region Norr's analysis, formed and not yet begun."""
    from gapanalys import services as gap_services

    case = make_case("gapanalys")
    return gap_services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)


@pytest.fixture
def south_shares(other_region):
    return RegionSharing.objects.create(region=other_region, share_analysis=True)
