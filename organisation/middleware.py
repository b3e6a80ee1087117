from django.conf import settings
from django.utils import timezone

# Refreshing the session on every request would write to the database on every page view;
# once a minute keeps the idle timeout accurate to a minute at a fraction of the cost.
REFRESH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """Log people out after SESSION_IDLE_TIMEOUT seconds without a request.

    The session cookie's age is the idle timeout; touching the session extends it. The
    timestamp is exposed to the page so the timeout warning (WCAG 2.2.1) knows when to speak.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get("last_activity", 0)
            if now - last >= REFRESH_EVERY_SECONDS or request.path.endswith("/session/extend/"):
                request.session["last_activity"] = now
            request.session_idle_timeout = settings.SESSION_IDLE_TIMEOUT
        return self.get_response(request)


class RegionChangeMiddleware:
    """After a request that may have written (not GET, HEAD, OPTIONS or TRACE), count a
    change in the regions the person follows (`organisation.changes`): whatever they changed
    lies there, and fragments cached under those regions' counters are rendered afresh. It
    runs after the view, whose transactions have committed by then. A refused request bumps
    too; that costs one render more."""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .changes import bump_for, counted_after_request

        user = request.user
        if request.method in self.SAFE or not user.is_authenticated:
            return self.get_response(request)
        with counted_after_request():
            response = self.get_response(request)
        bump_for(user)
        return response
