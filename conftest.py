"""Personas shared by every app's tests.

Region Norr (the personas' region) has two LPOs, a strategists' office and a health-care
management that decides BP1–BP3. Region Syd is another region nobody here belongs to.

- alice: chair of LPO Hjärta          - bob: chair of LPO Lunga (another LPO, same region)
- sara: strategist of Region Norr     - maja: management (decides BP1–BP3) in Region Norr
- lars: LAG member under LPO Hjärta   - olle: outsider, logged in but holds no role
- sven: strategist of Region Syd

For joint cases (seed 002): three municipalities of Region Norr (Ås, Berg, Dal), länsledningen
where each one's förvaltningschef decides for it (`chiefs`, by code), länssamordningsgruppen,
and `joint_order`: BP2 of joint cases prepared by länssamordningsgruppen, the HSD (maja)
deciding for the region and each municipality for itself.
"""

import os
from datetime import date

import pytest

from organisation.models import Role, UnitKind
from organisation.tests.factories import RegionFactory, UnitFactory, UserFactory, member

# Browser tests drive the live server from Playwright's sync API in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Two regions on one support (cross-region pages), for nationellt's tests and the journey.
pytest_plugins = ["nationellt.tests.fixtures"]

START = date(2024, 1, 1)


@pytest.fixture(scope="session", autouse=True)
def seal_certificate():
    """Every document is sealed: the tests seal with a demonstration certificate of their own."""
    from common.seal import create_demo_certificate

    create_demo_certificate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached fragments are keyed on ids, and a
    rolled-back test's ids come back in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def region(db):
    return RegionFactory(code="90", short_code="RN", name="Region Norr")


@pytest.fixture
def other_region(db):
    return RegionFactory(code="91", short_code="RS", name="Region Syd")


@pytest.fixture
def lpo(region):
    return UnitFactory(kind=UnitKind.LPO, name="LPO Hjärta", code="RN_LPO_HJ", region=region)


@pytest.fixture
def other_lpo(region):
    return UnitFactory(kind=UnitKind.LPO, name="LPO Lunga", code="RN_LPO_LU", region=region)


@pytest.fixture
def foreign_lpo(other_region):
    return UnitFactory(
        kind=UnitKind.LPO, name="LPO Hjärta Syd", code="RS_LPO_HJ", region=other_region
    )


@pytest.fixture
def office(region):
    return UnitFactory(kind=UnitKind.KANSLI, name="Kansliet", code="RN_KANSLI", region=region)


@pytest.fixture
def management_body(region):
    return UnitFactory(
        kind=UnitKind.HSL, name="Hälso- och sjukvårdsledningen", code="RN_HSL", region=region
    )


@pytest.fixture
def decision_rules(region, management_body):
    from kunskapsstyrning.models import DecisionRule

    return [
        DecisionRule.objects.create(region=region, point=p, deciding_body=management_body)
        for p in ("BP1", "BP2", "BP3")
    ]


@pytest.fixture
def alice(lpo):
    user = UserFactory(username="alice", first_name="Alice", last_name="Ordförande")
    member(user, lpo, Role.CHAIR, start_date=START)
    return user


@pytest.fixture
def bob(other_lpo):
    user = UserFactory(username="bob", first_name="Bob", last_name="Ordförande")
    member(user, other_lpo, Role.CHAIR, start_date=START)
    return user


@pytest.fixture
def sara(office):
    user = UserFactory(username="sara", first_name="Sara", last_name="Strateg")
    member(user, office, Role.STRATEGIST, start_date=START)
    return user


@pytest.fixture
def maja(management_body, decision_rules):
    user = UserFactory(username="maja", first_name="Maja", last_name="Ledning")
    member(user, management_body, Role.MANAGEMENT, start_date=START)
    return user


@pytest.fixture
def lag(lpo):
    return UnitFactory(
        kind=UnitKind.LAG, name="LAG Hjärtsvikt", code="RN_LAG_HS", region=lpo.region, parent=lpo
    )


@pytest.fixture
def lars(lag):
    user = UserFactory(username="lars", first_name="Lars", last_name="Lagmedlem")
    member(user, lag, Role.MEMBER, start_date=START)
    return user


@pytest.fixture
def olle(db):
    return UserFactory(username="olle", first_name="Olle", last_name="Utomstående")


@pytest.fixture
def sven(other_region):
    office = UnitFactory(
        kind=UnitKind.KANSLI, name="Kansliet Syd", code="RS_KANSLI", region=other_region
    )
    user = UserFactory(username="sven", first_name="Sven", last_name="Syd")
    member(user, office, Role.STRATEGIST, start_date=START)
    return user


@pytest.fixture
def support(db):
    from kunskapsstyrning.tests.factories import KnowledgeSupportFactory, RecommendationFactory

    ks = KnowledgeSupportFactory(title="Hjärtsvikt – nydebuterad")
    for n in range(1, 6):
        RecommendationFactory(knowledge_support=ks, number=n)
    return ks


@pytest.fixture
def make_case(region, lpo, sara, support):
    """Register a case through the service and walk it to `state`."""
    from kunskapsstyrning.tests.helpers import walk_to

    def make(state="prioritering", **kwargs):
        from kunskapsstyrning import services
        from kunskapsstyrning.tests.factories import copy_of

        in_region = kwargs.pop("region", region)
        chosen = kwargs.pop("knowledge_support", None)
        if chosen is None:
            # A region runs one case per support at a time: each further case of the test gets
            # a support of its own, with the same recommendations.
            chosen = support
            if services.open_case_for(in_region, support) is not None:
                chosen = copy_of(support)
        case = services.case_register(
            actor=sara,
            region=in_region,
            knowledge_support=chosen,
            responsible_lpo=kwargs.pop("responsible_lpo", lpo),
            strategist=sara,
            start_at_remiss=state == "remiss" or kwargs.pop("start_at_remiss", False),
            **kwargs,
        )
        return walk_to(case, state)

    return make


@pytest.fixture
def case(make_case, alice, maja):
    return make_case("prioritering")


@pytest.fixture
def municipalities(region):
    from organisation.models import Municipality

    return [
        Municipality.objects.create(code=code, name=name, region=region)
        for code, name in [("9001", "Ås"), ("9002", "Berg"), ("9003", "Dal")]
    ]


@pytest.fixture
def lansledning(region):
    return UnitFactory(kind=UnitKind.LANSLEDNING, name="Länsledningen", region=region)


@pytest.fixture
def lansamordning(region):
    return UnitFactory(kind=UnitKind.LANSSAMORDNING, name="Länssamordningsgruppen", region=region)


@pytest.fixture
def chiefs(municipalities, lansledning):
    """Each municipality's förvaltningschef, in länsledningen."""
    people = {}
    for municipality in municipalities:
        person = UserFactory(username=f"chef{municipality.code}", municipality=municipality)
        member(person, lansledning, Role.MANAGEMENT, start_date=START)
        people[municipality.code] = person
    return people


@pytest.fixture
def joint_order(region, management_body, lansledning, lansamordning, maja):
    """Västernorrland's BP2 for joint cases (seed 002)."""
    from kunskapsstyrning.models import DecisionRule

    return DecisionRule.objects.create(
        region=region,
        point="BP2",
        applies_to=DecisionRule.AppliesTo.JOINT,
        preparing_body=lansamordning,
        deciding_body=management_body,
        region_decider="hälso- och sjukvårdsdirektören",
        municipal_body=lansledning,
        municipal_decider="förvaltningschef",
        each_decides=True,
        informed="HälSam politisk samverkan",
    )
