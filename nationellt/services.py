"""A region's choice of what it shares with the other regions and the public."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import Region
from organisation.permissions import scope_of

from .models import RegionSharing

CHOICES = ("share_analysis", "share_plan", "share_indicators", "public")


def may_set_sharing(user: Any, region: Region) -> bool:
    """The region's organisation administrators decide what it shares (and system admins)."""
    scope = scope_of(user)
    return scope.is_admin or region.pk in scope.region_ids("administer_organisation")


@transaction.atomic
def sharing_save(*, region: Region, actor: Any, data: dict[str, bool]) -> RegionSharing:
    if not may_set_sharing(actor, region):
        raise PermissionDenied(_("Bara regionens organisationsadministratörer ändrar delningen."))
    sharing, _created = RegionSharing.objects.select_for_update().get_or_create(region=region)
    for name in CHOICES:
        if name in data:
            setattr(sharing, name, bool(data[name]))
    sharing.changed_by = actor
    sharing.changed_at = timezone.now()
    sharing.save()
    return sharing
