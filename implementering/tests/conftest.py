"""Fixtures for planning and follow-up, beside the root personas.

- kim: municipal representative (kommunrepresentant) in LPO Hjärta: edits municipal activities
- greta: member of Region Norr's county group (länssamordningsgrupp): edits joint activities
- alice (chair) and lars (LAG member) edit the region's; sara (strategist) the joint ones.
"""

from datetime import date

import pytest

from gapanalys.models import GapAnalysis, GapRow
from implementering import services
from implementering.models import Period
from kunskapsstyrning.models import Indicator
from organisation.models import Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

START = date(2024, 1, 1)


@pytest.fixture
def kim(lpo):
    user = UserFactory(username="kim", first_name="Kim", last_name="Kommun")
    member(user, lpo, Role.MUNICIPAL_REPRESENTATIVE, start_date=START)
    return user


@pytest.fixture
def county_group(region):
    return UnitFactory(
        kind=UnitKind.LANSSAMORDNING, name="Länssamordningsgruppen", code="RN_LSAM", region=region
    )


@pytest.fixture
def greta(county_group):
    user = UserFactory(username="greta", first_name="Greta", last_name="Länsgrupp")
    member(user, county_group, Role.MEMBER, start_date=START)
    return user


@pytest.fixture
def planning_case(make_case, alice, maja):
    """A joint case just past BP2, with a gap analysis: recommendation 2 is partly done and
    3 not done (both with proposals), 1 done, 4 not applicable, 5 partly without proposal."""
    case = make_case("planering", joint=True)
    # Rewritten after the walk (which made the shortest analysis BP2 approves): the rows as BP2
    # left them in this story (gapanalys owns how they got there).
    analysis = GapAnalysis.objects.get(case=case)
    GapAnalysis.objects.filter(pk=analysis.pk).update(scope_municipalities=True)
    analysis.rows.all().delete()
    states = {
        1: ("gor_vi", "", "region"),
        2: ("delvis", "Inför strukturerad uppföljning i primärvården.", "region"),
        3: ("gor_vi_inte", "Gemensam rutin för hemsjukvård efter utskrivning.", "gemensam"),
        4: ("ej_aktuellt", "", ""),
        5: ("delvis", "", "kommun"),
    }
    for recommendation in case.knowledge_support.recommendations.all():
        state, proposal, principal = states[recommendation.number]
        GapRow.objects.create(
            analysis=analysis,
            recommendation=recommendation,
            current_state=state,
            proposal=proposal,
            principal=principal,
        )
    return case


def gap_row(case, number):
    return GapRow.objects.get(analysis__case=case, recommendation__number=number)


def activity_data(**overrides):
    data = {
        "title": "Utbilda primärvårdens team",
        "description": "",
        "principal": "region",
        "responsible": "Verksamhetschef primärvård",
        "start": date(2025, 1, 1),
        "due": date(2025, 6, 30),
        "status": "planerad",
        "progress_note": "",
    }
    data.update(overrides)
    return data


# --- Follow-up ------------------------------------------------------------------------------


@pytest.fixture
def followed_case(make_case, alice, maja):
    return make_case("uppfoljning")


@pytest.fixture
def national(support):
    return Indicator.objects.create(
        knowledge_support=support,
        code="HSV-01",
        name="Ekokardiografi inom 4 veckor",
        unit="procent",
        target=80,
    )


@pytest.fixture
def share(followed_case, alice, national):
    return services.indicator_add_national(
        case_id=followed_case.pk, actor=alice, national=national, period=Period.MONTH
    )


@pytest.fixture
def days(followed_case, alice):
    return services.indicator_save(
        case_id=followed_case.pk,
        actor=alice,
        data={
            "code": "LOK-02",
            "name": "Tid till diagnos",
            "measure": "varde",
            "unit": "dagar",
            "direction": "lower",
            "period": Period.QUARTER,
        },
    )
