"""Sign-in through the IdP, judged against the real OpenID provider the suite starts.

The browser tests (tests/browser/test_oidc_signin.py) go through the provider's own login
pages. Here the product's callback receives ID tokens made by the test and signed with the
provider's own key (or another): the product fetches the provider's real key set and must
tell a good token from an expired one, one for another audience or issuer, or a forgery.
"""

import logging
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.messages import get_messages

from organisation.models import User
from organisation.oidc import OrganisationOIDCBackend
from organisation.tests.factories import UserFactory

# pytest finds fixtures by name in the module: the imported fixtures look unused to ruff.
from tests.oidc.fixtures import HSA_ID, provider_factory, use_provider  # noqa: F401
from tests.oidc.provider import CLIENT_ID, new_signing_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(provider_factory, settings):  # noqa: F811 (the imported fixture)
    provider = provider_factory("http://testserver")
    use_provider(settings, provider)
    return provider


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", hsa_id=HSA_ID, email="alice@region.example.se")


def begin(client):
    """Start the sign-in; returns the query the browser would carry to the provider."""
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(response.url).query).items()}


def claims_for(provider, session_nonce, **changes):
    now = int(time.time())
    claims = {
        "iss": provider.issuer,
        "aud": CLIENT_ID,
        "sub": "alice",
        "iat": now,
        "exp": now + 600,
        "nonce": session_nonce,
        "hsa_id": HSA_ID,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def answer(client, request, id_token, userinfo=None):
    """The provider's answer reaches the callback; its token endpoint returns `id_token`."""
    with (
        mock.patch.object(
            OrganisationOIDCBackend,
            "get_token",
            return_value={"id_token": id_token, "access_token": "at"},
        ),
        mock.patch.object(OrganisationOIDCBackend, "get_userinfo", return_value=userinfo or {}),
    ):
        return client.get("/oidc/callback/", {"code": "c0de", "state": request["state"]})


def message_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_authorisation_request_carries_state_nonce_and_a_pkce_challenge(client, provider):
    request = begin(client)
    assert request["response_type"] == "code"
    assert request["client_id"] == CLIENT_ID
    assert request["code_challenge_method"] == "S256"
    assert len(request["code_challenge"]) == 43
    assert request["state"] and request["nonce"]
    assert "openid" in request["scope"].split()


def test_a_token_signed_by_the_provider_signs_the_person_in(client, provider, alice):
    request = begin(client)
    response = answer(client, request, provider.sign(claims_for(provider, request["nonce"])))
    assert response.status_code == 302 and response.url == "/"
    assert client.session[SESSION_KEY] == str(alice.pk)


@pytest.mark.parametrize(
    "changes, reason, words",
    [
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired", "gått ut"),
        ({"aud": "en-annan-tjanst"}, "audience", "en annan tjänst"),
        ({"iss": "https://idp.annan.example"}, "issuer", "en annan identitetsutgivare"),
        ({"nonce": "en-annan-nonce"}, "nonce", "inte till den här inloggningsförfrågan"),
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "wrong-nonce"],
)
def test_a_bad_token_is_refused_with_a_message_and_logged(
    client, provider, alice, caplog, changes, reason, words
):
    request = begin(client)
    token = provider.sign(claims_for(provider, request["nonce"], **changes))
    with caplog.at_level(logging.WARNING, logger="organisation.oidc"):
        response = answer(client, request, token)
    assert response.status_code == 302 and response.url == "/logga-in/"
    assert SESSION_KEY not in client.session
    assert words in message_of(response)
    assert [r.oidc_reason for r in caplog.records] == [reason]


def test_a_token_signed_with_another_key_is_refused(client, provider, alice, caplog):
    forger_key, _jwk = new_signing_key(provider.kid)  # same key id, other key
    request = begin(client)
    token = provider.sign(claims_for(provider, request["nonce"]), key=forger_key)
    with caplog.at_level(logging.WARNING, logger="organisation.oidc"):
        response = answer(client, request, token)
    assert SESSION_KEY not in client.session
    assert "signatur" in message_of(response)
    assert [r.oidc_reason for r in caplog.records] == ["signature"]


def test_an_unknown_person_is_told_so_and_no_account_is_made(client, provider, alice, caplog):
    request = begin(client)
    claims = claims_for(provider, request["nonce"], sub="ny", hsa_id="SE2321000016-NY01")
    users_before = User.objects.count()
    with caplog.at_level(logging.WARNING, logger="organisation.oidc"):
        response = answer(client, request, provider.sign(claims), {"email": "ny@x.example.se"})
    assert "Du finns inte som användare" in message_of(response)
    assert User.objects.count() == users_before
    assert SESSION_KEY not in client.session
    assert [r.oidc_reason for r in caplog.records] == ["unknown_person"]


def test_a_state_the_session_never_issued_is_refused(client, provider, alice):
    begin(client)
    response = answer(client, {"state": "forged-state"}, "not-even-a-token")
    assert "webbläsarsessionen" in message_of(response)
    assert SESSION_KEY not in client.session


def test_an_answer_cannot_be_replayed(client, provider, alice):
    request = begin(client)
    token = provider.sign(claims_for(provider, request["nonce"]))
    answer(client, request, token)
    client.logout()
    response = answer(client, request, token)
    assert "webbläsarsessionen" in message_of(response)
    assert SESSION_KEY not in client.session


def test_the_person_is_found_by_hsa_id_before_e_mail(client, provider, alice):
    UserFactory(username="namne", email="alice.idp@region.example.se")
    request = begin(client)
    claims = claims_for(provider, request["nonce"])
    answer(client, request, provider.sign(claims), {"email": "alice.idp@region.example.se"})
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_without_an_hsa_id_match_the_person_is_found_by_e_mail(client, provider):
    bertil = UserFactory(username="bertil", email="Bertil@Region.example.se")
    request = begin(client)
    claims = claims_for(provider, request["nonce"], hsa_id=None)
    answer(client, request, provider.sign(claims), {"email": "bertil@region.example.se"})
    assert client.session[SESSION_KEY] == str(bertil.pk)


def test_e_mail_never_matches_someone_registered_with_another_hsa_id(client, provider):
    UserFactory(username="cecilia", email="c@region.example.se", hsa_id="SE2321000016-CCCC")
    request = begin(client)
    claims = claims_for(provider, request["nonce"], hsa_id="SE2321000016-DDDD")
    response = answer(client, request, provider.sign(claims), {"email": "c@region.example.se"})
    assert SESSION_KEY not in client.session
    assert "Du finns inte som användare" in message_of(response)


def test_an_inactive_person_is_refused(client, provider, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    request = begin(client)
    response = answer(client, request, provider.sign(claims_for(provider, request["nonce"])))
    assert SESSION_KEY not in client.session
    assert "avstängt" in message_of(response)


def test_claims_grant_nothing_beyond_the_persons_memberships(client, provider, alice):
    request = begin(client)
    claims = claims_for(provider, request["nonce"], groups=["admin"], is_staff=True, roles=["x"])
    answer(client, request, provider.sign(claims))
    alice.refresh_from_db()
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert not alice.is_staff and not alice.is_superuser
    assert client.get("/admin/").status_code == 302  # the admin still sends her to log in


def test_the_login_page_offers_the_organisations_sign_in_first(client, provider):
    html = client.get("/logga-in/").content.decode()
    assert "Logga in med Regionens IdP" in html
    assert html.index("Logga in med Regionens IdP") < html.index('name="password"')


def test_without_configuration_there_is_no_organisation_sign_in(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert "oidc/authenticate" not in client.get("/logga-in/").content.decode()
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302 and response.url == "/logga-in/"


def test_sign_out_ends_the_idp_session_too(client, provider, alice):
    request = begin(client)
    answer(client, request, provider.sign(claims_for(provider, request["nonce"])))
    response = client.post("/logga-ut/")
    assert SESSION_KEY not in client.session
    target = urlsplit(response.url)
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider.issuer}/session/end"
    assert query["post_logout_redirect_uri"] == ["http://testserver/logga-in/"]
    assert query["id_token_hint"]


def test_a_password_login_signs_out_locally_only(client, provider, alice):
    client.force_login(alice)
    response = client.post("/logga-ut/")
    assert response.status_code == 302 and response.url == "/logga-in/"


@pytest.mark.parametrize(
    "mode, person_in, admin_in",
    [("all", True, True), ("superusers", False, True), ("off", False, False)],
)
def test_local_passwords_can_be_limited_or_switched_off(
    client, settings, mode, person_in, admin_in
):
    settings.LOCAL_LOGIN = mode
    UserFactory(username="person")
    UserFactory(username="nodadmin", is_superuser=True, is_staff=True)
    for username, expected in (("person", person_in), ("nodadmin", admin_in)):
        client.post("/logga-in/", {"username": username, "password": "losenord-123"})
        assert (SESSION_KEY in client.session) is expected, (mode, username)
        client.logout()
    if mode == "off":
        assert 'name="password"' not in client.get("/logga-in/").content.decode()


def test_the_environment_for_a_provider_is_read_from_its_discovery_document(provider):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("oidc_discover", provider.issuer, stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert lines["OIDC_ISSUER"] == provider.issuer
    assert (
        lines["OIDC_AUTHORIZATION_ENDPOINT"] == provider.endpoints["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    )
    assert lines["OIDC_JWKS_ENDPOINT"] == provider.endpoints["OIDC_OP_JWKS_ENDPOINT"]
    assert lines["OIDC_END_SESSION_ENDPOINT"] == provider.endpoints["OIDC_OP_LOGOUT_ENDPOINT"]
