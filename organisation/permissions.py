"""The one place that answers "what may this user see and do".

Permissions are stored by django-guardian on organisation units (see `models.ROLE_PERMISSIONS`).
`scope_of(user)` reads all of a user's unit permissions in one query and keeps them on the
user object for the rest of the request; querysets (`visible_to`) and checks (`require`) use it.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.http import Http404


@dataclass
class Scope:
    """A user's unit permissions: codename → unit ids, and the regions those units belong to."""

    units: dict[str, set[int]] = field(default_factory=dict)
    regions: dict[str, set[int]] = field(default_factory=dict)
    lag_lpo_ids: set[int] = field(default_factory=set)
    is_admin: bool = False

    def unit_ids(self, codename: str) -> set[int]:
        return self.units.get(codename, set())

    def region_ids(self, codename: str) -> set[int]:
        return self.regions.get(codename, set())

    @property
    def all_region_ids(self) -> set[int]:
        """Every region any of the user's units belongs to."""
        return set().union(*self.regions.values())

    def key(self) -> str:
        """The permissions as a short stable text, for keys of what is cached per person: a
        change of role changes it."""
        return repr((self.is_admin, sorted((c, sorted(u)) for c, u in self.units.items())))

    def has(self, codename: str, unit_id: int | None) -> bool:
        return self.is_admin or unit_id in self.unit_ids(codename)

    @property
    def overseen_region_ids(self) -> set[int]:
        """Regions whose every case the user may read (strategists and management)."""
        return self.region_ids("view_region_cases")

    @property
    def coordinated_region_ids(self) -> set[int]:
        """Regions the user coordinates as strategist."""
        return self.region_ids("coordinate_region")

    @property
    def case_lpo_ids(self) -> set[int]:
        """LPOs whose cases the user reads: their own, and those their LAGs work under."""
        return self.unit_ids("view_unit_cases") | self.lag_lpo_ids

    def coordinates(self, region_id: int | None) -> bool:
        return self.is_admin or region_id in self.coordinated_region_ids


def scope_of(user: Any) -> Scope:
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


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's permissions changed."""
    if hasattr(user, "_unit_scope"):
        del user._unit_scope


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The object if it is inside the user's scope; otherwise 404, as if it did not exist."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def require(allowed: object, message: str | None = None) -> None:
    """Raise 403 unless `allowed`: the object is in scope but this action is not the user's."""
    if not allowed:
        raise PermissionDenied(message)


# --- Roles on a case -----------------------------------------------------------------------
# A case (or anything a region's LPO is responsible for) is read here only for the region and
# the LPO it belongs to, so the apps above ask the same question the same way.


class RegionalWork(Protocol):
    """What the role checks read of a case: its region and its responsible LPO."""

    region_id: int
    responsible_lpo_id: int


def is_coordinator(user: Any, case: RegionalWork) -> bool:
    """The user is a strategist of the case's region (or an administrator)."""
    return scope_of(user).coordinates(case.region_id)


def is_chair(user: Any, case: RegionalWork) -> bool:
    """The user chairs the LPO responsible for the case (or is an administrator)."""
    return scope_of(user).has("act_for_unit", case.responsible_lpo_id)


def chair_or_coordinator(user: Any, case: RegionalWork) -> bool:
    return is_chair(user, case) or is_coordinator(user, case)
