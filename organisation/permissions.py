"""The one place that answers "what may this user see and do".

Permissions are stored by django-guardian on organisation units (see `models.ROLE_PERMISSIONS`).
`scope_of(user)` reads all of a user's unit permissions in one query and keeps them on the
user object for the rest of the request; querysets (`visible_to`) and checks (`require`) use it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404


@dataclass
class Scope:
    """A user's unit permissions: codename → unit ids, and the regions those units belong to."""

    units: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    lag_lpo_ids: set = field(default_factory=set)
    is_admin: bool = False

    def unit_ids(self, codename):
        return self.units.get(codename, set())

    def region_ids(self, codename):
        return self.regions.get(codename, set())

    def has(self, codename, unit_id):
        return self.is_admin or unit_id in self.unit_ids(codename)

    @property
    def overseen_region_ids(self):
        """Regions whose every case the user may read (strategists and management)."""
        return self.region_ids("view_region_cases")

    @property
    def coordinated_region_ids(self):
        """Regions the user coordinates as strategist."""
        return self.region_ids("coordinate_region")

    @property
    def case_lpo_ids(self):
        """LPOs whose cases the user reads: their own, and those their LAGs work under."""
        return self.unit_ids("view_unit_cases") | self.lag_lpo_ids

    def coordinates(self, region_id):
        return self.is_admin or region_id in self.coordinated_region_ids


def scope_of(user):
    if not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_unit_scope", None)
    if cached is not None:
        return cached
    from .models import UnitUserObjectPermission

    scope = Scope(is_admin=user.is_superuser)
    rows = UnitUserObjectPermission.objects.filter(user=user).values_list(
        "permission__codename",
        "content_object_id",
        "content_object__region_id",
        "content_object__kind",
        "content_object__parent_id",
    )
    for codename, unit_id, region_id, kind, parent_id in rows:
        scope.units.setdefault(codename, set()).add(unit_id)
        if region_id is not None:
            scope.regions.setdefault(codename, set()).add(region_id)
        if codename == "view_unit_cases" and kind == "LAG" and parent_id is not None:
            # A LAG works on its LPO's cases: its members read them like the LPO's members.
            scope.lag_lpo_ids.add(parent_id)
    user._unit_scope = scope
    return scope


def forget_scope(user):
    """Drop the cached scope after the user's permissions changed."""
    if hasattr(user, "_unit_scope"):
        del user._unit_scope


def get_visible_or_404(queryset, user, **lookup):
    """The object if it is inside the user's scope; otherwise 404, as if it did not exist."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def require(allowed, message=None):
    """Raise 403 unless `allowed`: the object is in scope but this action is not the user's."""
    if not allowed:
        raise PermissionDenied(message)
