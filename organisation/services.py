"""Changing the organisation: memberships, and the unit permissions that follow them."""

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from .models import (
    ALL_UNIT_PERMISSIONS,
    Membership,
    Unit,
    UnitUserObjectPermission,
    permissions_for,
)
from .permissions import forget_scope


def unit_permissions_sync(*, user, unit, day=None):
    """Make the user's guardian permissions on `unit` match their active memberships there."""
    day = day or timezone.localdate()
    wanted = set()
    for role in (
        Membership.objects.active_on(day)
        .filter(user=user, unit=unit)
        .values_list("role", flat=True)
    ):
        wanted |= permissions_for(role, unit.kind)
    held = set(
        UnitUserObjectPermission.objects.filter(user=user, content_object=unit).values_list(
            "permission__codename", flat=True
        )
    )
    for codename in wanted - held:
        assign_perm(f"organisation.{codename}", user, unit)
    for codename in (held & ALL_UNIT_PERMISSIONS) - wanted:
        remove_perm(f"organisation.{codename}", user, unit)
    forget_scope(user)
    return wanted


@transaction.atomic
def membership_save(*, membership, previous_unit=None, previous_user=None):
    """Validate and save a membership, then bring the permissions it implies up to date.

    The unit row is locked first so that two administrators appointing a chair of the same
    LPO at the same moment cannot both pass the one-chair check.
    """
    Unit.objects.select_for_update().filter(pk=membership.unit_id).first()
    membership.full_clean()
    membership.save()
    unit_permissions_sync(user=membership.user, unit=membership.unit)
    if previous_unit is not None and previous_unit.pk != membership.unit_id:
        unit_permissions_sync(user=membership.user, unit=previous_unit)
    if previous_user is not None and previous_user.pk != membership.user_id:
        unit_permissions_sync(user=previous_user, unit=membership.unit)
    return membership


@transaction.atomic
def membership_end(*, membership, end_date=None):
    """End a membership (today by default); the permissions go with it."""
    membership.end_date = end_date or timezone.localdate()
    return membership_save(membership=membership)


@transaction.atomic
def membership_delete(*, membership):
    user, unit = membership.user, membership.unit
    membership.delete()
    unit_permissions_sync(user=user, unit=unit)


def memberships_sync_due(day=None):
    """Resync everyone whose membership starts or ended around `day` (run daily).

    Memberships are dated, so a grant can become due or lapse without anyone saving a row.
    Looking one day back as well makes a missed nightly run harmless.
    """
    day = day or timezone.localdate()
    yesterday = day - timezone.timedelta(days=1)
    due = Membership.objects.filter(start_date__in=[yesterday, day]) | Membership.objects.filter(
        end_date__in=[yesterday - timezone.timedelta(days=1), yesterday]
    )
    pairs = set(due.values_list("user_id", "unit_id"))
    for user_id, unit_id in pairs:
        with transaction.atomic():
            membership = (
                Membership.objects.select_related("user", "unit")
                .filter(user_id=user_id, unit_id=unit_id)
                .first()
            )
            unit_permissions_sync(user=membership.user, unit=membership.unit, day=day)
    return len(pairs)
