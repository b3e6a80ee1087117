"""pytest fixtures around the real OpenID provider (import them into a test module).

`provider_factory(redirect_base, **options)` starts a provider (stopped at the end of the
session) and `use_provider(settings, provider)` points the product's settings at it.
"""

import copy

import pytest

from .provider import OpenIDProvider, ProviderUnavailable

HSA_ID = "SE2321000016-A1B2"
ACCOUNTS = {
    # login at the provider → the claims it gives
    "alice": {
        "hsa_id": HSA_ID,
        "email": "alice.idp@region.example.se",
        "given_name": "Alice",
        "family_name": "Ordförande",
    },
    "bara-epost": {"email": "bara.epost@region.example.se"},
}


@pytest.fixture(scope="session")
def provider_factory():
    started = {}

    def start(redirect_base, **options):
        key = (redirect_base, tuple(sorted(options.items())))
        if key not in started:
            provider = OpenIDProvider(
                redirect_uris=[f"{redirect_base}/oidc/callback/"],
                post_logout_redirect_uris=[f"{redirect_base}/logga-in/"],
                accounts=ACCOUNTS,
                **options,
            )
            try:
                started[key] = provider.start()
            except ProviderUnavailable as exc:
                pytest.fail(str(exc))
        return started[key]

    yield start
    for provider in started.values():
        provider.stop()


def use_provider(settings, provider, **overrides):
    defaults = {
        **provider.endpoints,
        "OIDC_PROVIDER_NAME": "Regionens IdP",
        # The provider releases the HSA-ID under a scope of its own, as Swedish IdPs do.
        "OIDC_RP_SCOPES": "openid email profile hsa",
    }
    # Signing out redirects a form's answer to the provider (see CONTENT_SECURITY_POLICY).
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(provider.issuer)
    defaults["CONTENT_SECURITY_POLICY"] = policy
    for name, value in defaults.items():
        setattr(settings, name, value)
    for name, value in overrides.items():
        setattr(settings, name, value)
