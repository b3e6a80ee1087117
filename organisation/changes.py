"""What has changed in a region, as a number that only grows: for keys of cached fragments.

A fragment that shows a person's view of their regions' work (their home page's sections) is
cached under the counters of the regions the person follows (`serial_for`). A request that may
have written bumps the counters of the regions the person who made it follows
(`RegionChangeMiddleware`): one can only change what one reaches, so whatever they changed
lies there. The next reader of those regions then finds a new key and renders afresh; nothing
is invalidated by hand, and a reader who read a counter just before a bump stored what it saw
under the old key, which nobody asks for again.

The regions a person follows are those of their units, and those the apps add
(`register_followed`: e.g. the regions of the consultation rounds an expert is invited to).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language

from common.fragments import version_of

from .models import Region, RegionChange
from .permissions import scope_of

# Each takes a person and returns a queryset of region ids they follow beyond their units'.
_followed_by_apps: list[Callable[[Any], QuerySet[Any]]] = []


def register_followed(regions_of: Callable[[Any], QuerySet[Any]]) -> None:
    """An app adds regions a person follows without a unit there (from `AppConfig.ready`)."""
    if regions_of not in _followed_by_apps:
        _followed_by_apps.append(regions_of)


def _followed(user: Any) -> QuerySet[RegionChange]:
    """The counters of the regions `user` follows (every region's for an administrator).
    Filtered on the counters themselves, not on the regions: one subquery less to plan on
    every visit (the chair's kept board cost 1.5 ms more than the administrator's)."""
    rows = RegionChange.objects.all()
    scope = scope_of(user)
    if scope.is_admin:
        return rows
    condition = Q(region_id__in=sorted(scope.all_region_ids))
    for regions_of in _followed_by_apps:
        condition |= Q(region_id__in=regions_of(user))
    return rows.filter(condition)


def serial_for(user: Any) -> int:
    """The sum of the counters of the regions `user` follows: it grows whenever anything in
    them changes. One query."""
    return _followed(user).aggregate(n=Sum("serial"))["n"] or 0


# The longest anything is kept under these keys: they change with every change in the
# regions; this bounds what no change announces (the hours of "har väntat 3 timmar").
KEPT_SECONDS = 300


def kept_key(name: str, user: Any, serial: int, *more: object) -> str:
    """The key under which what page `name` shows `user` is kept: who they are and what they
    may do, the day, the language, `serial` (the counters of the regions it shows: it grows
    with any change there) and `more` (the address, the CSRF secret of a page with forms)."""
    shown = (
        user.pk,
        scope_of(user).key(),
        getattr(user, "municipality_id", None),
        timezone.localdate(),
        get_language(),
        serial,
        *more,
    )
    return f"{name}:{version_of(shown)}"


def followed_key(name: str, user: Any, *more: object) -> str:
    """`kept_key` for a page of everything `user` follows: under the sum of its regions'
    counters (one query)."""
    return kept_key(name, user, serial_for(user), *more)


def bump_for(user: Any) -> None:
    """Count a change in every region `user` follows. Called once the change is committed
    (after the request's view): one statement, in no transaction of the change's, so no lock
    on a counter is held while a change's work runs."""
    _followed(user).update(serial=F("serial") + 1)


def region_created(sender: type[Region], instance: Region, created: bool, **kwargs: Any) -> None:
    """Every region has its counter from the start (`post_save` of Region), so a bump is one
    UPDATE."""
    if created and not kwargs.get("raw"):
        RegionChange.objects.get_or_create(region=instance)


def bump(region_ids: list[int]) -> None:
    """Count a change in the regions now."""
    RegionChange.objects.filter(region_id__in=region_ids).update(serial=F("serial") + 1)


# Set while a request whose writes `RegionChangeMiddleware` counts afterwards runs.
_counted_after_request: ContextVar[bool] = ContextVar("counted_after_request", default=False)


@contextmanager
def counted_after_request() -> Iterator[None]:
    token = _counted_after_request.set(True)
    try:
        yield
    finally:
        _counted_after_request.reset(token)


def bump_everywhere_on_commit(**_signal: Any) -> None:
    """Count a change in every region once the current transaction commits: for what all
    regions' pages show (the catalogue of knowledge supports, a national decision), whoever
    changed it. Connect it to the models' `post_save` and `post_delete`."""
    transaction.on_commit(lambda: RegionChange.objects.update(serial=F("serial") + 1))


def bump_on_commit(region_id: int) -> None:
    """Count a change in the region once the current transaction commits: for work done
    outside a person's request (a task, a command). Within one, the request counts it after
    the view, in the regions the person follows, which hold whatever they can change."""
    if not _counted_after_request.get():
        transaction.on_commit(lambda: bump([region_id]))
