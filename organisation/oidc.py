"""Sign-in through the organisation's identity provider (OpenID Connect, mozilla-django-oidc).

The provider says who someone is; the product decides whether they may come in. A person is
let in only if they already exist here, found by HSA-ID and then by e-mail address, and what
they may see still comes from their memberships: nothing in the claims grants anything, and
no account is ever created from them.

Every refusal has a reason: it is logged (logger `organisation.oidc`) and the person sees a
Swedish message on the login page.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import User, normalise_hsa_id

logger = logging.getLogger(__name__)

TRY_AGAIN = _("Försök logga in igen. Kvarstår felet, kontakta din administratör.")
REASONS = {
    "unknown_person": _(
        "Du finns inte som användare i Kunskapsstyrning. Be din administratör att lägga upp "
        "dig med ditt HSA-id eller din e-postadress; inget konto har skapats."
    ),
    "ambiguous_person": _(
        "Flera användare i Kunskapsstyrning matchar din inloggning. Kontakta din administratör."
    ),
    "inactive_person": _("Ditt konto i Kunskapsstyrning är avstängt. Kontakta din administratör."),
    "no_identity": _("Inloggningen gav varken HSA-id eller e-postadress."),
    "expired": _("Inloggningen hade gått ut innan den kom fram."),
    "signature": _("Inloggningens signatur kunde inte kontrolleras."),
    "audience": _("Inloggningen var utfärdad för en annan tjänst."),
    "issuer": _("Inloggningen kom från en annan identitetsutgivare än den som är inställd."),
    "nonce": _("Inloggningen hörde inte till den här inloggningsförfrågan."),
    "state": _("Inloggningen hörde inte till den här webbläsarsessionen."),
    "invalid_token": _("Inloggningen kunde inte läsas."),
    "provider_error": _("Organisationens inloggning avbröts eller nekades."),
    "provider_unreachable": _("Organisationens inloggning svarar inte just nu."),
    "not_configured": _("Inloggning via organisationen är inte inställd."),
}
# Reasons where trying again is the right advice (the rest need an administrator).
RETRYABLE = {
    "expired",
    "signature",
    "audience",
    "issuer",
    "nonce",
    "state",
    "invalid_token",
    "provider_error",
    "provider_unreachable",
}


class SignInRefused(Exception):
    """The identity provider's answer was not accepted; `reason` is a key of REASONS."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    @property
    def message(self):
        text = str(REASONS[self.reason])
        return f"{text} {TRY_AGAIN}" if self.reason in RETRYABLE else text


def oidc_configured():
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Checks the ID token fully and finds the person it names among the product's users."""

    def authenticate(self, request, **kwargs):
        # Only the callback passes a nonce; a password login never reaches the provider.
        if not oidc_configured() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except SuspiciousOperation as exc:  # no key of the provider's has the token's kid
            raise SignInRefused("signature", str(exc)) from exc

    def _verify_jws(self, payload, key):
        """The signature, and the claims mozilla-django-oidc leaves unchecked (aud, iss)."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.InvalidTokenError as exc:
            raise SignInRefused("invalid_token", str(exc)) from exc
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SignInRefused("signature", f"algorithm {algorithm!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused("expired", str(exc)) from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInRefused("audience", str(exc)) from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInRefused("issuer", str(exc)) from exc
        except jwt.InvalidSignatureError as exc:
            raise SignInRefused("signature", str(exc)) from exc
        except jwt.InvalidTokenError as exc:
            raise SignInRefused("invalid_token", str(exc)) from exc

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as exc:  # the library's nonce check
            raise SignInRefused("nonce", str(exc)) from exc

    def verify_claims(self, claims):
        return bool(self._hsa_id(claims) or self._email(claims))

    @staticmethod
    def _hsa_id(claims):
        return normalise_hsa_id(claims.get(settings.OIDC_HSA_ID_CLAIM) or "")

    @staticmethod
    def _email(claims):
        return (claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip()

    def describe_user_by_claims(self, claims):
        return f"HSA-id {self._hsa_id(claims) or '-'}, e-post {self._email(claims) or '-'}"

    def filter_users_by_claims(self, claims):
        """HSA-ID first; then e-mail, but never someone registered with another HSA-ID."""
        hsa_id, email = self._hsa_id(claims), self._email(claims)
        if hsa_id:
            by_hsa_id = User.objects.filter(hsa_id=hsa_id)
            if by_hsa_id.exists():
                return by_hsa_id
        if not email:
            return User.objects.none()
        by_email = User.objects.filter(email__iexact=email)
        if hsa_id:
            by_email = by_email.filter(Q(hsa_id="") | Q(hsa_id=hsa_id))
        return by_email

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        # The ID token's own claims count too: some providers put the HSA-ID only there.
        claims = {**payload, **claims}
        if not self.verify_claims(claims):
            raise SignInRefused("no_identity", ", ".join(sorted(claims)))
        users = list(self.filter_users_by_claims(claims)[:2])
        if not users:
            raise SignInRefused("unknown_person", self.describe_user_by_claims(claims))
        if len(users) > 1:
            raise SignInRefused("ambiguous_person", self.describe_user_by_claims(claims))
        if not users[0].is_active:
            raise SignInRefused("inactive_person", users[0].username)
        return users[0]

    def create_user(self, claims):  # never reached (OIDC_CREATE_USER is False); kept closed.
        raise SignInRefused("unknown_person", self.describe_user_by_claims(claims))


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and a PKCE challenge."""

    def get(self, request):
        if not oidc_configured():
            messages.error(request, REASONS["not_configured"])
            return redirect(settings.LOGIN_URL)
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: a person comes in, or is told why not (and the log says too)."""

    def refuse(self, refusal):
        logger.warning(
            "OIDC sign-in refused (%s): %s",
            refusal.reason,
            refusal.detail or "-",
            extra={"oidc_reason": refusal.reason},
        )
        if self.request.user.is_authenticated:
            auth.logout(self.request)
        messages.error(self.request, refusal.message)
        return HttpResponseRedirect(reverse(settings.LOGIN_URL))

    def get(self, request):
        if request.GET.get("error"):
            states = request.session.get("oidc_states", {})
            states.pop(request.GET.get("state"), None)
            request.session.modified = True
            detail = f"{request.GET['error']}: {request.GET.get('error_description', '')}"
            return self.refuse(SignInRefused("provider_error", detail))
        state = request.GET.get("state")
        if not request.GET.get("code") or not state:
            return self.refuse(SignInRefused("invalid_token", "no code or state"))
        stored = request.session.get("oidc_states", {}).pop(state, None)
        if stored is None:
            return self.refuse(SignInRefused("state", "state not issued by this session"))
        # Used once: a replayed answer finds no state. Saved before the slow token exchange.
        request.session.modified = True
        request.session.save()
        backend = OrganisationOIDCBackend()
        try:
            user = backend.authenticate(
                request, nonce=stored["nonce"], code_verifier=stored.get("code_verifier")
            )
        except SignInRefused as refusal:
            return self.refuse(refusal)
        except requests.HTTPError as exc:  # the token endpoint said no (e.g. PKCE mismatch)
            return self.refuse(SignInRefused("provider_error", str(exc)))
        except requests.RequestException as exc:
            return self.refuse(SignInRefused("provider_unreachable", str(exc)))
        if user is None:  # the library's own early exits (no id token in the answer)
            return self.refuse(SignInRefused("invalid_token", "no user from the token"))
        user.backend = f"{OrganisationOIDCBackend.__module__}.{OrganisationOIDCBackend.__name__}"
        self.user = user
        logger.info("OIDC sign-in: %s", user.username)
        return self.login_success()


def end_session_url(request):
    """Where to send the browser so the provider ends its session too (or None)."""
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    id_token = request.session.get("oidc_id_token")
    if not (endpoint and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGIN_URL)),
        }
    )
    return f"{endpoint}?{query}"
