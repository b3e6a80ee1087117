"""Print the environment for an OpenID provider, read from its discovery document.

    python manage.py oidc_discover https://idp.example.se

prints OIDC_ISSUER and the endpoint variables (README, "Connect a regional IdP"); the client
id and secret come from the IdP's administrators.
"""

import requests
from django.core.management.base import BaseCommand, CommandError

VARIABLES = {
    "OIDC_ISSUER": "issuer",
    "OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "OIDC_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_END_SESSION_ENDPOINT": "end_session_endpoint",
}


class Command(BaseCommand):
    help = "Skriv ut miljövariablerna för en OpenID-leverantör utifrån dess discovery-dokument."

    def add_arguments(self, parser):
        parser.add_argument("issuer", help="t.ex. https://idp.region.se")

    def handle(self, *args, issuer, **options):
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=10)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise CommandError(f"Kunde inte läsa {url}: {exc}") from exc
        if document.get("issuer") != issuer.rstrip("/") and document.get("issuer") != issuer:
            raise CommandError(
                f"Dokumentet anger utgivaren {document.get('issuer')!r}, inte {issuer!r}."
            )
        for variable, key in VARIABLES.items():
            if document.get(key):
                self.stdout.write(f"{variable}={document[key]}")
        if "S256" not in document.get("code_challenge_methods_supported", ["S256"]):
            self.stderr.write("Varning: leverantören anger inte PKCE med S256.")
        self.stdout.write("OIDC_CLIENT_ID=<från IdP:ns administratörer>")
        self.stdout.write("OIDC_CLIENT_SECRET=<från IdP:ns administratörer>")
