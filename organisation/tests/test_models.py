from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from organisation.models import Membership, Role, Unit, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_lag_must_hang_under_an_lpo(region, lpo):
    npo = UnitFactory(kind=UnitKind.NPO, region=None, name="NPO Hjärta")
    lag = Unit(kind=UnitKind.LAG, code="X", name="LAG", region=region, parent=npo)
    with pytest.raises(ValidationError) as error:
        lag.full_clean()
    assert "En LAG kan inte ligga under en NPO." in error.value.message_dict["parent"]
    lag.parent = lpo
    lag.full_clean()


def test_a_lag_without_a_parent_is_refused(region):
    lag = Unit(kind=UnitKind.LAG, code="X", name="LAG", region=region)
    with pytest.raises(ValidationError, match="måste ha en överordnad LPO"):
        lag.full_clean()


def test_a_local_group_needs_a_region(lpo):
    unit = Unit(kind=UnitKind.LPO, code="X", name="LPO", programme_area=lpo.programme_area)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "region" in error.value.message_dict


def test_a_lag_under_another_regions_lpo_is_refused(other_region, lpo):
    lag = Unit(kind=UnitKind.LAG, code="X", name="LAG", region=other_region, parent=lpo)
    with pytest.raises(ValidationError, match="annan region"):
        lag.full_clean()


def test_a_national_group_has_no_region(region):
    npo = Unit(
        kind=UnitKind.NPO,
        code="X",
        name="NPO",
        region=region,
        programme_area=UnitFactory().programme_area,
    )
    with pytest.raises(ValidationError) as error:
        npo.full_clean()
    assert "region" in error.value.message_dict


def test_a_membership_cannot_end_before_it_starts(lpo):
    membership = Membership(
        user=UserFactory(),
        unit=lpo,
        role=Role.MEMBER,
        start_date=date(2025, 5, 1),
        end_date=date(2025, 4, 1),
    )
    with pytest.raises(ValidationError, match="kan inte sluta innan det börjar"):
        membership.full_clean()


def test_the_database_also_refuses_a_membership_ending_before_it_starts(lpo):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=UserFactory(),
            unit=lpo,
            role=Role.MEMBER,
            start_date=date(2025, 5, 1),
            end_date=date(2025, 4, 1),
        )


def test_an_lpo_has_one_chair_at_a_time(alice, lpo):
    second = Membership(user=UserFactory(), unit=lpo, role=Role.CHAIR, start_date=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="har redan en ordförande"):
        second.full_clean()


def test_a_new_chair_may_follow_when_the_old_one_has_ended(lpo):
    old = Membership.objects.create(
        user=UserFactory(),
        unit=lpo,
        role=Role.CHAIR,
        start_date=date(2023, 1, 1),
        end_date=date(2024, 12, 31),
    )
    new = Membership(user=UserFactory(), unit=lpo, role=Role.CHAIR, start_date=date(2025, 1, 1))
    new.full_clean()
    assert old.pk


def test_membership_changes_are_history_tracked(alice, lpo):
    from organisation.services import membership_end

    membership = alice.memberships.get()
    membership_end(membership=membership, end_date=date(2030, 1, 1))
    assert membership.history.count() == 2
    assert membership.history.first().end_date == date(2030, 1, 1)
