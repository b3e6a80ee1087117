from django.utils import timezone

from .permissions import scope_of


def navigation(request):
    """What the navigation shows: only the places this person can use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    return {
        "nav": {
            "oversees_region": bool(scope.overseen_region_ids) or scope.is_admin,
            "is_strategist": bool(scope.coordinated_region_ids) or scope.is_admin,
            "decides": bool(scope.unit_ids("decide_for_unit")),
            "chairs": bool(scope.unit_ids("act_for_unit")),
            # Keeping the organisation is no window onto its cases.
            "sees_cases": bool(set(scope.units) - {"administer_organisation"}) or scope.is_admin,
            "is_admin": user.is_superuser,
            "administers": bool(scope.region_ids("administer_organisation")) or user.is_superuser,
        },
        "session_idle_timeout": getattr(request, "session_idle_timeout", None),
        "today": timezone.localdate(),
    }
