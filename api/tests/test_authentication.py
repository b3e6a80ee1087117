"""A personal token opens the API as its owner; anything else is 401 (issue 16, "Bad input")."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, secret_hash
from api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_url():
    return reverse("api:case-list")


def test_a_valid_token_opens_the_api_and_records_its_use(client, token_of, alice, cases_url):
    token, secret = token_of(alice)
    response = client.get(cases_url, **bearer(secret))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_the_secret_is_stored(token_of, alice):
    token, secret = token_of(alice)
    assert token.secret_sha256 == secret_hash(secret) != secret
    assert secret.startswith(token.prefix) and len(token.prefix) < 12
    stored = ApiToken.objects.filter(pk=token.pk).values_list()[0]
    assert not any(secret in str(value) for value in stored)


def test_the_last_use_is_written_at_most_once_a_minute(client, token_of, alice, cases_url):
    token, secret = token_of(alice)
    client.get(cases_url, **bearer(secret))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get(cases_url, **bearer(secret))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(cases_url, **bearer(secret))
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(minutes=2)


def test_no_token_is_401_with_the_scheme_to_use(client, cases_url):
    response = client.get(cases_url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Ingen API-nyckel" in response.json()["detail"]


def test_a_signed_in_session_is_no_key_to_the_api(client, alice, cases_url):
    client.force_login(alice)
    assert client.get(cases_url).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer ks_unknown", "Bearer", "Bearer a b", "bearer  ", "Bearer \u00e5\u00e4\u00f6"],
)
def test_an_unknown_or_malformed_token_is_401(header, cases_url):
    response = Client(HTTP_AUTHORIZATION=header).get(cases_url)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_removed_token_is_401(client, token_of, alice, cases_url):
    from api import services

    token, secret = token_of(alice)
    assert client.get(cases_url, **bearer(secret)).status_code == 200
    services.token_revoke(token_id=token.pk, actor=alice)
    response = client.get(cases_url, **bearer(secret))
    assert response.status_code == 401
    assert "borttagen" in response.json()["detail"]


def test_a_deleted_token_is_401(client, token_of, alice, cases_url):
    token, secret = token_of(alice)
    token.delete()
    assert client.get(cases_url, **bearer(secret)).status_code == 401


def test_a_token_of_a_deactivated_user_is_401(client, token_of, alice, cases_url):
    _token, secret = token_of(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get(cases_url, **bearer(secret)).status_code == 401


def test_a_token_revoked_a_moment_ago_by_its_owner_elsewhere_is_401(client, token_of, alice):
    token, secret = token_of(alice)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client.get(reverse("api:support-list"), **bearer(secret)).status_code == 401


def test_the_api_answers_only_reading(api_as, alice, cases_url):
    api = api_as(alice)
    assert api.get(cases_url).status_code == 200
    for method in (api.post, api.put, api.patch, api.delete):
        assert method(cases_url, {}, content_type="application/json").status_code == 405
