"""Signing in through a real OpenID provider (oidc-provider on Node.js, started by the suite).

The browser goes the whole way: the product's login page, the provider's own login page,
the authorisation-code flow with PKCE and back, and out again through the provider's
end-session page. Then the ways it must fail: someone the provider knows but the product
does not, an answer for another browser session (state), a tampered nonce, a provider whose
clock runs behind so that its ID token has expired, and one that is not the configured issuer.
"""

import re

import pytest
from playwright.sync_api import expect

from organisation.models import User
from organisation.tests.factories import UserFactory

# pytest finds fixtures by name in the module: the imported fixtures look unused to ruff.
from tests.oidc.fixtures import HSA_ID, provider_factory, use_provider  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def idp(provider_factory, live_server, settings):  # noqa: F811 (the imported fixture)
    provider = provider_factory(live_server.url)
    use_provider(settings, provider)
    return provider


@pytest.fixture
def alice(transactional_db):
    return UserFactory(
        username="alice",
        first_name="Alice",
        last_name="Ordförande",
        hsa_id=HSA_ID,
        email="alice@region.example.se",
    )


def sign_in_at_the_provider(page, login):
    page.get_by_role("link", name="Logga in med Regionens IdP").click()
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("vad-som-helst")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


def refused_with(page, words):
    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    expect(page.locator(".messages")).to_contain_text(words)


def test_a_person_signs_in_through_the_idp_with_pkce_and_signs_out_of_both(
    page, idp, alice, check_page
):
    authorisation_requests = []
    page.on(
        "request",
        lambda r: r.url.startswith(f"{idp.issuer}/auth") and authorisation_requests.append(r.url),
    )
    page.goto("/logga-in/")
    check_page(page, "inloggning-med-idp")
    sign_in_at_the_provider(page, "alice")

    expect(page.locator(".user-name")).to_have_text("Alice Ordförande")
    assert "code_challenge_method=S256" in authorisation_requests[0]
    assert "nonce=" in authorisation_requests[0]
    check_page(page, "inloggad")

    page.get_by_role("button", name="Logga ut").click()

    page.get_by_role("button", name="Yes, sign me out").click()  # the provider's own page
    expect(page).to_have_url(re.compile(r"/logga-in/$"))
    # The IdP's session has ended too: signing in again asks for the login once more.
    page.get_by_role("link", name="Logga in med Regionens IdP").click()
    expect(page.locator('input[name="login"]')).to_be_visible()


def test_someone_the_idp_knows_but_the_product_does_not_is_told_so(page, idp, alice, shot):
    users_before = User.objects.count()
    page.goto("/logga-in/")
    sign_in_at_the_provider(page, "okand-person")
    refused_with(page, "Du finns inte som användare i Kunskapsstyrning")
    shot(page, "okand-person")
    assert User.objects.count() == users_before
    assert not User.objects.filter(email__icontains="okand-person").exists()
    expect(page.locator(".user-name")).to_have_count(0)


def change_the_request_to_the_provider(page, parameter, value):
    """Rewrite one parameter of the authorisation request the product sends the browser off with.

    (Playwright routes only the first request of a redirect chain, so the product's redirect
    is fetched here and answered with the changed Location.)
    """

    def rewrite(route):
        response = route.fetch(max_redirects=0)
        location = re.sub(
            rf"{parameter}=[^&]+", f"{parameter}={value}", response.headers["location"]
        )
        route.fulfill(response=response, headers={**response.headers, "location": location})

    page.route(re.compile(r".*/oidc/authenticate/.*"), rewrite)


def test_an_answer_with_another_state_is_refused(page, idp, alice):
    # The provider returns the state it was given: not one this browser session was issued.
    change_the_request_to_the_provider(page, "state", "forged-state")
    page.goto("/logga-in/")
    sign_in_at_the_provider(page, "alice")
    refused_with(page, "hörde inte till den här webbläsarsessionen")


def test_a_tampered_nonce_is_refused(page, idp, alice):
    # The provider puts the nonce it was given into the ID token: not the one the product sent.
    change_the_request_to_the_provider(page, "nonce", "tampered-nonce")
    page.goto("/logga-in/")
    sign_in_at_the_provider(page, "alice")
    refused_with(page, "hörde inte till den här inloggningsförfrågan")


def test_an_expired_id_token_is_refused(
    page,
    provider_factory,  # noqa: F811 (the imported fixture, asked for by name)
    live_server,
    settings,
    alice,
):
    # Its clock five minutes behind and ID tokens valid for one, the provider issues tokens
    # that expired four minutes before the product reads them (allowed drift: one minute).
    late = provider_factory(live_server.url, id_token_ttl=60, clock_offset_seconds=300)
    use_provider(settings, late)
    page.goto("/logga-in/")
    sign_in_at_the_provider(page, "alice")
    refused_with(page, "Inloggningen hade gått ut")


def test_a_token_from_another_issuer_than_configured_is_refused(page, idp, alice, settings):
    settings.OIDC_OP_ISSUER = "https://idp.en-annan-region.example"
    page.goto("/logga-in/")
    sign_in_at_the_provider(page, "alice")
    refused_with(page, "en annan identitetsutgivare")
