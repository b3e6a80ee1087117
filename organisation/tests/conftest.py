"""Administrators for the organisation pages' tests.

- ada: organisation administrator of Region Norr (the personas' region)
- sigrid: organisation administrator of Region Syd
"""

import pytest

from conftest import START
from organisation.models import Municipality, Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member


@pytest.fixture
def ada(office):
    user = UserFactory(username="ada", first_name="Ada", last_name="Administratör")
    member(user, office, Role.ADMINISTRATOR, start_date=START)
    return user


@pytest.fixture
def sigrid(other_region):
    office = UnitFactory(
        kind=UnitKind.KANSLI, name="Kansliet Syd", code="RS_KANSLI_ADM", region=other_region
    )
    user = UserFactory(username="sigrid", first_name="Sigrid", last_name="Syd")
    member(user, office, Role.ADMINISTRATOR, start_date=START)
    return user


@pytest.fixture
def norrby(region):
    return Municipality.objects.create(code="9001", name="Norrby kommun", region=region)


@pytest.fixture
def sydby(other_region):
    return Municipality.objects.create(code="9101", name="Sydby kommun", region=other_region)
