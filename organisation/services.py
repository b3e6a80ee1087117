"""Changing the organisation: memberships, and the unit permissions that follow them."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from .models import (
    ALL_UNIT_PERMISSIONS,
    DECISION_BODY_KINDS,
    ChangeKind,
    Membership,
    Municipality,
    OrganisationChange,
    ProgrammeArea,
    Region,
    Role,
    Unit,
    UnitKind,
    UnitUserObjectPermission,
    User,
    normalise_hsa_id,
    permissions_for,
)
from .permissions import forget_scope


def unit_permissions_sync(*, user: User, unit: Unit, day: date | None = None) -> set[str]:
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
def membership_save(
    *,
    membership: Membership,
    previous_unit: Unit | None = None,
    previous_user: User | None = None,
) -> Membership:
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
def membership_end(*, membership: Membership, end_date: date | None = None) -> Membership:
    """End a membership (today by default); the permissions go with it."""
    membership.end_date = end_date or timezone.localdate()
    return membership_save(membership=membership)


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    user, unit = membership.user, membership.unit
    membership.delete()
    unit_permissions_sync(user=user, unit=unit)


def memberships_sync_due(day: date | None = None) -> int:
    """Resync everyone whose membership starts or ended around `day` (run daily).

    Memberships are dated, so a grant can become due or lapse without anyone saving a row.
    Looking one day back as well makes a missed nightly run harmless.
    """
    day = day or timezone.localdate()
    yesterday = day - timedelta(days=1)
    due = Membership.objects.filter(start_date__in=[yesterday, day]) | Membership.objects.filter(
        end_date__in=[yesterday - timedelta(days=1), yesterday]
    )
    pairs = set(due.values_list("user_id", "unit_id"))
    for user_id, unit_id in pairs:
        with transaction.atomic():
            membership = (
                Membership.objects.select_related("user", "unit")
                .filter(user_id=user_id, unit_id=unit_id)
                .first()
            )
            assert membership is not None  # the pair was read from its rows
            unit_permissions_sync(user=membership.user, unit=membership.unit, day=day)
    return len(pairs)


# --- The administrator's pages ------------------------------------------------------------
# One service per intent: check that the actor keeps the region's organisation, change, save
# and record who did what in OrganisationChange, all in one transaction.

MUNICIPAL_ROLES = {Role.MUNICIPAL_REPRESENTATIVE, Role.MAS_MAR}
# Roles that belong to one kind of unit only.
ROLE_UNIT_KINDS: dict[str, set[UnitKind]] = {
    Role.STRATEGIST: {UnitKind.KANSLI},
    Role.ADMINISTRATOR: {UnitKind.KANSLI},
    Role.MANAGEMENT: DECISION_BODY_KINDS,
}


def _require_administrator(actor: User, region_id: int | None) -> None:
    from .selectors import NOT_ADMINISTRATOR, administered_region_ids

    ids = administered_region_ids(actor)
    if ids is not None and region_id not in ids:
        raise PermissionDenied(NOT_ADMINISTRATOR)


def _record(
    *,
    actor: User,
    region_id: int | None,
    kind: str,
    summary: str,
    unit: Unit | None = None,
    person: User | None = None,
) -> OrganisationChange:
    # A national unit's change has no region's history to go in (`region` is required): mypy
    # found it; only a superuser reaches one. Left as it was for issue 15 (types only).
    return OrganisationChange.objects.create(  # type: ignore[misc]
        region_id=region_id, actor=actor, kind=kind, summary=summary[:500], unit=unit, person=person
    )


def unit_label(unit: Unit) -> str:
    """A unit named with its region: two regions each have an "LPO Psykisk hälsa"."""
    region = unit.region if unit.region_id else None
    return f"{unit.name} ({region.name})" if region is not None else unit.name


@transaction.atomic
def unit_create(
    *,
    actor: User,
    region: Region,
    kind: str,
    name: str,
    code: str,
    parent: Unit | None = None,
    programme_area: ProgrammeArea | None = None,
    municipalities_participate: bool = False,
) -> Unit:
    """Add a unit (an LPO, a LAG under an LPO, a decision body …) to a region."""
    _require_administrator(actor, region.pk)
    unit = Unit(
        kind=kind,
        name=name.strip(),
        code=code.strip(),
        region=region,
        parent=parent,
        programme_area=programme_area,
        municipalities_participate=municipalities_participate,
    )
    unit.full_clean()
    unit.save()
    _record(
        actor=actor,
        region_id=region.pk,
        kind=ChangeKind.UNIT_CREATED,
        summary=_("Lade till %(unit)s (%(kind)s).") % {"unit": unit.name, "kind": unit.kind},
        unit=unit,
    )
    return unit


@transaction.atomic
def person_create(
    *,
    actor: User,
    region: Region,
    first_name: str,
    last_name: str,
    email: str = "",
    hsa_id: str = "",
    title: str = "",
    organisation_name: str = "",
    municipality: Municipality | None = None,
) -> User:
    """Register a person who will sign in through the IdP (no password of their own)."""
    _require_administrator(actor, region.pk)
    hsa_id = normalise_hsa_id(hsa_id)
    if municipality is not None and municipality.region_id != region.pk:
        raise ValidationError({"municipality": _("Kommunen hör inte till regionen.")})
    _require_free_email(email)
    person = User(
        username=_free_username(hsa_id or email or f"{first_name}.{last_name}"),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        hsa_id=hsa_id,
        title=title.strip(),
        organisation_name=organisation_name.strip(),
        municipality=municipality,
    )
    person.set_unusable_password()
    person.full_clean()
    person.save()
    _record(
        actor=actor,
        region_id=region.pk,
        kind=ChangeKind.PERSON_CREATED,
        summary=_("Lade upp %(person)s%(hsa)s.")
        % {"person": person.get_full_name(), "hsa": f" ({hsa_id})" if hsa_id else ""},
        person=person,
    )
    return person


PERSON_FIELDS = {
    "first_name": _("förnamn"),
    "last_name": _("efternamn"),
    "hsa_id": _("HSA-id"),
    "email": _("e-post"),
    "title": _("titel"),
    "organisation_name": _("arbetsplats"),
    "municipality": _("kommun"),
}


@transaction.atomic
def person_update(*, actor: User, person: User, **changes: Any) -> User:
    """Correct a person's details (an HSA-ID added, a new e-mail, the municipality)."""
    from .selectors import administered_region_ids

    ids = administered_region_ids(actor)
    regions = set(person.memberships.values_list("unit__region_id", flat=True))
    if person.municipality is not None:
        regions.add(person.municipality.region_id)
    municipality = changes.get("municipality")
    if ids is not None:
        if regions and not regions & ids:
            raise PermissionDenied
        if municipality is not None and municipality.region_id not in ids:
            raise ValidationError({"municipality": _("Kommunen hör inte till din region.")})
    person = User.objects.select_for_update().get(pk=person.pk)
    changes["hsa_id"] = normalise_hsa_id(changes.get("hsa_id", person.hsa_id))
    described = []
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        before = getattr(person, name)
        if before != value:
            described.append(f"{PERSON_FIELDS[name]}: {before or '–'} → {value or '–'}")
            setattr(person, name, value)
    if not described:
        return person
    _require_free_email(person.email, person)
    person.full_clean(exclude=["password"])
    person.save()
    if municipality is not None:
        regions.add(municipality.region_id)
    for region_id in sorted(regions & ids if ids is not None else regions) or sorted(ids or []):
        _record(
            actor=actor,
            region_id=region_id,
            kind=ChangeKind.PERSON_CHANGED,
            summary=_("Ändrade %(person)s: %(what)s.")
            % {"person": person.get_full_name() or person.username, "what": "; ".join(described)},
            person=person,
        )
    return person


def _require_free_email(email: str, person: User | None = None) -> None:
    """An e-mail address is one person's: sign-in finds people by it when the IdP gives no
    HSA-ID (`oidc`), and two people with one address could not be told apart on the pages."""
    email = email.strip()
    if not email:
        return
    others = User.objects.filter(email__iexact=email)
    if person is not None:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise ValidationError({"email": _("E-postadressen används redan av en annan person.")})


def _free_username(wanted: str) -> str:
    base = "".join(ch for ch in wanted.lower() if ch.isalnum() or ch in "@.+-_")[:140] or "person"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def role_problems(
    *,
    unit: Unit,
    person: User,
    role: str,
    start_date: date | None,
    end_date: date | None = None,
) -> list[str]:
    """Why `person` cannot hold `role` in `unit` (nomination rules); empty when they can."""
    problems = []
    kinds = ROLE_UNIT_KINDS.get(role)
    if kinds is not None and unit.kind not in kinds:
        problems.append(
            _("Rollen %(role)s kan inte ges i en %(kind)s.")
            % {"role": Role(role).label, "kind": unit.kind}
        )
    if role in MUNICIPAL_ROLES:
        municipality = person.municipality
        if not unit.municipalities_participate:
            problems.append(
                _("Kommunerna deltar inte i %(unit)s; markera det på enheten först.")
                % {"unit": unit.name}
            )
        elif municipality is None or municipality.region_id != unit.region_id:
            problems.append(
                _(
                    "%(person)s arbetar inte för någon av de deltagande kommunerna och kan "
                    "inte vara %(role)s."
                )
                % {"person": person.get_full_name() or person.username, "role": Role(role).label}
            )
    if start_date and end_date and end_date < start_date:
        problems.append(_("Uppdraget kan inte sluta innan det börjar."))
    duplicate = Membership.objects.filter(user=person, unit=unit, role=role)
    for other in duplicate:
        if other.overlaps(start_date, end_date):
            problems.append(
                _("%(person)s har redan rollen %(role)s i %(unit)s under perioden.")
                % {
                    "person": person.get_full_name() or person.username,
                    "role": Role(role).label,
                    "unit": unit.name,
                }
            )
            break
    return problems


@transaction.atomic
def role_add(
    *,
    actor: User,
    unit: Unit,
    person: User,
    role: str,
    start_date: date,
    end_date: date | None = None,
) -> Membership:
    """Give a person a dated role in a unit (a nomination, for a LAG); access follows."""
    _require_administrator(actor, unit.region_id)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    problems = role_problems(
        unit=unit, person=person, role=role, start_date=start_date, end_date=end_date
    )
    if problems:
        raise ValidationError(problems)
    membership = membership_save(
        membership=Membership(
            user=person, unit=unit, role=role, start_date=start_date, end_date=end_date
        )
    )
    _record(
        actor=actor,
        region_id=unit.region_id,
        kind=ChangeKind.NOMINATED if unit.kind == UnitKind.LAG else ChangeKind.ROLE_ADDED,
        summary=_("%(person)s blev %(role)s i %(unit)s från %(start)s%(end)s.")
        % {
            "person": person.get_full_name() or person.username,
            "role": Role(role).label.lower(),
            "unit": unit.name,
            "start": start_date.isoformat(),
            "end": f" till och med {end_date.isoformat()}" if end_date else "",
        },
        unit=unit,
        person=person,
    )
    return membership


@transaction.atomic
def role_end(*, actor: User, membership: Membership) -> None:
    """End a role now: the person's access through it goes at once, not tomorrow.

    A membership's end date is its last day, so ending it today sets yesterday. A role that
    has not begun before today never took effect and is withdrawn instead.
    """
    unit = membership.unit
    _require_administrator(actor, unit.region_id)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    person = membership.user
    if membership.end_date is not None and membership.end_date < today:
        raise ValidationError(_("Uppdraget är redan avslutat."))
    labels = {
        "person": person.get_full_name() or person.username,
        "role": membership.get_role_display().lower(),
        "unit": unit.name,
    }
    if membership.start_date > yesterday:
        membership_delete(membership=membership)
        summary = _("%(person)s togs bort som %(role)s i %(unit)s innan uppdraget började.")
    else:
        membership.end_date = yesterday
        membership_save(membership=membership)
        summary = _("%(person)s slutade som %(role)s i %(unit)s.")
    _record(
        actor=actor,
        region_id=unit.region_id,
        kind=ChangeKind.ROLE_ENDED,
        summary=summary % labels,
        unit=unit,
        person=person,
    )
