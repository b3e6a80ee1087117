from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from organisation.models import Membership, Role
from organisation.permissions import scope_of
from organisation.services import membership_end, membership_save, memberships_sync_due
from organisation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def perms(user, unit):
    user = type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions
    return {
        p
        for p in ("view_unit_cases", "act_for_unit", "edit_analysis")
        if user.has_perm(f"organisation.{p}", unit)
    }


def test_a_chair_gets_the_lpos_permissions(alice, lpo):
    assert perms(alice, lpo) == {"view_unit_cases", "act_for_unit"}


def test_changing_the_role_changes_the_permissions(alice, lpo):
    membership = alice.memberships.get()
    membership.role = Role.MEMBER
    membership_save(membership=membership)
    assert perms(alice, lpo) == {"view_unit_cases"}


def test_moving_a_membership_to_another_unit_moves_the_permissions(alice, lpo, other_lpo):
    membership = alice.memberships.get()
    membership.unit = other_lpo
    membership_save(membership=membership, previous_unit=lpo)
    assert perms(alice, lpo) == set()
    assert perms(alice, other_lpo) == {"view_unit_cases", "act_for_unit"}


def test_ending_a_membership_today_keeps_access_through_today(alice, lpo):
    membership_end(membership=alice.memberships.get())
    assert perms(alice, lpo) == {"view_unit_cases", "act_for_unit"}


def test_an_ended_membership_loses_its_permissions(alice, lpo):
    membership_end(
        membership=alice.memberships.get(), end_date=timezone.localdate() - timedelta(days=1)
    )
    assert perms(alice, lpo) == set()


def test_permissions_expire_on_the_nightly_sync_without_anyone_saving(alice, lpo):
    membership = alice.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(end_date=timezone.localdate())
    assert perms(alice, lpo)  # still active today
    memberships_sync_due(day=timezone.localdate() + timedelta(days=1))
    assert perms(alice, lpo) == set()


def test_a_future_membership_is_granted_on_its_first_day(lpo):
    user = UserFactory()
    start = timezone.localdate() + timedelta(days=3)
    membership_save(membership=Membership(user=user, unit=lpo, role=Role.MEMBER, start_date=start))
    assert perms(user, lpo) == set()
    memberships_sync_due(day=start)
    assert perms(user, lpo) == {"view_unit_cases"}


def test_two_roles_in_one_unit_add_up(lpo, lag):
    user = UserFactory()
    membership_save(
        membership=Membership(user=user, unit=lag, role=Role.MEMBER, start_date=date(2024, 1, 1))
    )
    membership_save(
        membership=Membership(
            user=user, unit=lag, role=Role.PROCESS_LEADER, start_date=date(2024, 1, 1)
        )
    )
    assert perms(user, lag) == {"view_unit_cases", "edit_analysis"}


def test_a_second_chair_is_refused_and_nothing_is_saved(alice, lpo):
    user = UserFactory()
    with pytest.raises(ValidationError):
        membership_save(
            membership=Membership(user=user, unit=lpo, role=Role.CHAIR, start_date=date(2025, 1, 1))
        )
    assert not Membership.objects.filter(user=user).exists()
    assert perms(user, lpo) == set()


def test_the_scope_is_read_in_one_query(alice, sara, django_assert_num_queries):
    alice = type(alice).objects.get(pk=alice.pk)
    with django_assert_num_queries(1):
        scope_of(alice)
        scope_of(alice)  # cached on the user for the rest of the request
    assert scope_of(alice).unit_ids("act_for_unit") == {alice.memberships.get().unit_id}
