from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAuthenticated
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's answers, in Swedish; a request without a key is told how to send one."""
    if isinstance(exc, NotAuthenticated):
        exc.detail = _(
            "Ingen API-nyckel. Skicka huvudet Authorization: Bearer följt av en personlig nyckel "
            "(API-nycklar i produkten)."
        )
    return drf_exception_handler(exc, context)
