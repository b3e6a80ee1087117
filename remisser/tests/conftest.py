"""Personas for consultation rounds, on top of the root conftest's Region Norr.

- erik, eva: experts (sakkunniga) in LPO Hjärta; emil: expert in LPO Lunga
- kim: municipal representative in LPO Hjärta (answers for the municipalities)
Rounds are made through the real services by the helpers in `factories.py`.
"""

import pytest

from organisation.models import Role
from organisation.tests.factories import UserFactory, member

from .factories import START, distribute, register


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded attachments and rendered PDFs go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def erik(lpo):
    user = UserFactory(username="erik", first_name="Erik", last_name="Expert")
    member(user, lpo, Role.EXPERT, start_date=START)
    return user


@pytest.fixture
def eva(lpo):
    user = UserFactory(username="eva", first_name="Eva", last_name="Expert")
    member(user, lpo, Role.EXPERT, start_date=START)
    return user


@pytest.fixture
def emil(other_lpo):
    user = UserFactory(username="emil", first_name="Emil", last_name="Expert")
    member(user, other_lpo, Role.EXPERT, start_date=START)
    return user


@pytest.fixture
def kim(lpo):
    user = UserFactory(username="kim", first_name="Kim", last_name="Kommun")
    member(user, lpo, Role.MUNICIPAL_REPRESENTATIVE, start_date=START)
    return user


@pytest.fixture
def remiss(region, lpo, other_lpo, sara, alice, bob, support):
    """A registered round in Region Norr asking two questions (not yet distributed)."""
    return register(sara, region, lpo, support, concerned_lpos=[other_lpo])


@pytest.fixture
def distributed(remiss, lpo, other_lpo):
    """The round sent to LPO Hjärta (alice) and LPO Lunga (bob)."""
    distribute(remiss, [lpo, other_lpo])
    remiss.refresh_from_db()
    return remiss
