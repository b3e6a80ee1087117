"""Reads for the organisation pages: what an administrator may see of which region."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import (
    ChangeKind,
    Membership,
    MunicipalAssociation,
    Municipality,
    OrganisationChange,
    Region,
    Unit,
    User,
)
from .permissions import scope_of

NOT_ADMINISTRATOR = _("Organisationen sköts av regionens administratörer.")


def administered_region_ids(user: User) -> set[int] | None:
    """The regions whose organisation `user` keeps; None means every region (superuser)."""
    if user.is_superuser:
        return None
    return scope_of(user).region_ids("administer_organisation")


def administers_any(user: User) -> bool:
    ids = administered_region_ids(user)
    return ids is None or bool(ids)


def regions_for(user: User) -> QuerySet[Region]:
    ids = administered_region_ids(user)
    regions = Region.objects.select_related("healthcare_region")
    return regions if ids is None else regions.filter(pk__in=ids)


def require_administrator(user: User) -> None:
    """403 for someone who keeps no region's organisation at all."""
    if not administers_any(user):
        raise PermissionDenied(NOT_ADMINISTRATOR)


def region_for(user: User, pk: int) -> Region:
    """The region if `user` keeps its organisation: 403 for non-administrators, else 404."""
    require_administrator(user)
    ids = administered_region_ids(user)
    if ids is not None and int(pk) not in ids:
        raise Http404
    try:
        return Region.objects.get(pk=pk)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def unit_for(user: User, pk: int) -> Unit:
    require_administrator(user)
    ids = administered_region_ids(user)
    units = Unit.objects.select_related("region", "parent", "programme_area")
    try:
        unit = units.get(pk=pk, region__isnull=False)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    if ids is not None and unit.region_id not in ids:
        raise Http404
    return unit


def people_of_region(region: Region) -> QuerySet[User]:
    """Everyone who has held a role in the region or works for one of its municipalities,
    and whom its administrators registered (a person just added has no role yet, and the
    list is where the administrator looks for them)."""
    registered = OrganisationChange.objects.filter(
        region=region, kind=ChangeKind.PERSON_CREATED
    ).values("person")
    return User.objects.filter(
        Q(memberships__unit__region=region) | Q(municipality__region=region) | Q(pk__in=registered)
    ).distinct()


def person_for(user: User, pk: int) -> User:
    """A person the administrator may keep: one of their regions' people, or one with no role
    anywhere yet (just created, about to be given one)."""
    require_administrator(user)
    try:
        person = User.objects.select_related("municipality__region").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    ids = administered_region_ids(user)
    if ids is None:
        return person
    regions = set(person.memberships.values_list("unit__region_id", flat=True))
    if person.municipality is not None:
        regions.add(person.municipality.region_id)
    if regions and not regions & ids:
        raise Http404
    return person


def region_tree(region: Region) -> dict[str, Any]:
    """The region's units as a tree (roots with their children), municipalities, associations."""
    units = list(
        Unit.objects.filter(region=region).select_related("programme_area").order_by("kind", "name")
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for unit in units:
        unit.child_units = children.get(unit.pk, [])  # type: ignore[attr-defined]  # for the tree
    ids = {unit.pk for unit in units}
    roots = [unit for unit in units if unit.parent_id not in ids]
    associations = MunicipalAssociation.objects.filter(region=region).prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
    )
    return {
        "roots": roots,
        "unit_count": len(units),
        "municipalities": Municipality.objects.filter(region=region).order_by("name"),
        "associations": associations,
    }


def memberships_of_unit(unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit)
        .select_related("user__municipality")
        .order_by("end_date", "role", "user__first_name", "user__last_name")
    )


def memberships_of_person(person: User, region_ids: set[int] | None = None) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user=person).select_related("unit__region")
    if region_ids is not None:
        memberships = memberships.filter(unit__region_id__in=region_ids)
    return memberships.order_by("end_date", "unit__region__name", "unit__name")


def units_for_roles(user: User) -> QuerySet[Unit]:
    """Units a role can be given in, each labelled with its region (two LPOs share names)."""
    ids = administered_region_ids(user)
    units = Unit.objects.filter(region__isnull=False, active=True).select_related("region")
    if ids is not None:
        units = units.filter(region_id__in=ids)
    return units.order_by("region__name", "kind", "name")


def candidates_for(unit: Unit) -> QuerySet[User]:
    """People who may be given a role in `unit`: the region's people and those with none."""
    return (
        User.objects.filter(
            Q(memberships__unit__region_id=unit.region_id)
            | Q(municipality__region_id=unit.region_id)
            | Q(memberships__isnull=True, municipality__isnull=True),
            is_active=True,
        )
        .select_related("municipality")
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def changes_of_region(region: Region, limit: int = 200) -> QuerySet[OrganisationChange]:
    return OrganisationChange.objects.of_region(region).select_related("actor")[:limit]
