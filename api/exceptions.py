from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.exceptions import NotAuthenticated, NotFound, Throttled, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's answers, in Swedish, each with a `detail`; a request without a key is told how to
    send one."""
    if isinstance(exc, Http404):
        # Django's message names the model ("No Case matches the given query."), in English;
        # outside the scope and not there at all must read the same.
        exc = NotFound(_("Finns inte."))
    if isinstance(exc, NotAuthenticated):
        exc.detail = _(
            "Ingen API-nyckel. Skicka huvudet Authorization: Bearer följt av en personlig nyckel "
            "(API-nycklar i produkten)."
        )
    if isinstance(exc, Throttled):
        # DRF's Swedish leaves "Expected available in … seconds" in English.
        wait = int(exc.wait or 1)
        exc.detail = ngettext(
            "För många anrop. Försök igen om %(wait)d sekund.",
            "För många anrop. Försök igen om %(wait)d sekunder.",
            wait,
        ) % {"wait": wait}
    response = drf_exception_handler(exc, context)
    if isinstance(exc, ValidationError) and response is not None:
        # Every error has its `detail`; a wrong parameter says which, and why, under `errors`.
        response.data = {"detail": _("Ogiltiga parametrar."), "errors": response.data}
    return response
