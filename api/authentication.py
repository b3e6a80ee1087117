"""`Authorization: Bearer <token>`: a personal token opens the API as its owner."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import selectors, services


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A personal token (`api.models.ApiToken`). An unknown, removed or deactivated user's token
    is refused with 401, like no token at all."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Skriv Authorization: Bearer följt av nyckeln, utan mellanslag i den.")
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är ogiltig.")) from exc
        token = selectors.token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("API-nyckeln är ogiltig, borttagen eller hör till en inaktiv användare.")
            )
        services.token_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request without a token.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token (drf-spectacular)."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "personligNyckel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("En personlig API-nyckel som skapas under API-nycklar i produkten.")
            ),
        }
