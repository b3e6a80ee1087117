"""The API's pages: the guide, the token page and the removal of a token (its confirmation)."""

import pytest
from django.urls import reverse

from api.models import ApiToken
from api.tests.conftest import bearer
from common.confirm import CONFIRM_FIELD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["api:guide", "api:tokens"])
def test_an_anonymous_visitor_is_sent_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith("/logga-in/")


def test_the_removal_sends_an_anonymous_visitor_to_the_login(client, token_of, alice):
    token, _secret = token_of(alice)
    response = client.post(reverse("api:token_delete", args=[token.pk]), {CONFIRM_FIELD: "1"})
    assert response.status_code == 302 and response.url.startswith("/logga-in/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_schema_needs_a_key_or_a_session(client, token_of, olle):
    url = reverse("api:schema")
    assert client.get(url).status_code == 401
    _token, secret = token_of(olle)
    assert client.get(url, **bearer(secret)).status_code == 200
    client.force_login(olle)
    response = client.get(url)
    assert response.status_code == 200
    assert b"/api/v1/arenden/" in response.content


def test_the_guide_explains_keys_authentication_pages_and_links_the_schema(client, olle):
    client.force_login(olle)
    page = client.get(reverse("api:guide")).content.decode()
    assert "Authorization: Bearer" in page
    assert "next" in page and "cursor" in page
    assert reverse("api:schema") in page and reverse("api:tokens") in page


def test_the_menu_leads_every_signed_in_user_to_their_keys(client, olle):
    client.force_login(olle)
    assert reverse("api:tokens") in client.get(reverse("kunskapsstyrning:home")).content.decode()


def test_a_new_key_is_shown_once_and_only_its_prefix_afterwards(client, alice):
    client.force_login(alice)
    response = client.post(reverse("api:tokens"), {"name": "Intranätet"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    token = ApiToken.objects.get(user=alice)
    assert secret.startswith(token.prefix)
    page = response.content.decode()
    assert f'value="{secret}"' in page and "visas bara den här gången" in page
    # The key opens the API; the page never shows it again.
    assert client.get(reverse("api:case-list"), **bearer(secret)).status_code == 200
    later = client.get(reverse("api:tokens")).content.decode()
    assert secret not in later and token.prefix in later and "Intranätet" in later


def test_a_key_needs_a_name_and_the_error_is_linked_to_the_field(client, alice):
    client.force_login(alice)
    response = client.post(reverse("api:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    page = response.content.decode()
    assert 'href="#id_name"' in page and 'id="id_name_error"' in page


def test_someone_sees_only_their_own_keys(client, token_of, alice, bob):
    token_of(alice, name="Alices nyckel")
    token_of(bob, name="Bobs nyckel")
    client.force_login(alice)
    page = client.get(reverse("api:tokens")).content.decode()
    assert "Alices nyckel" in page and "Bobs nyckel" not in page


def test_removing_a_key_asks_first_and_changes_nothing_until_confirmed(client, token_of, alice):
    token, secret = token_of(alice)
    client.force_login(alice)
    url = reverse("api:token_delete", args=[token.pk])
    step = client.post(url)
    assert step.status_code == 200
    page = step.content.decode()
    assert "data-confirmation-step" in page and "Ja, ta bort nyckeln" in page
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    done = client.post(url, {CONFIRM_FIELD: "1"})
    assert done.status_code == 302 and done.url == reverse("api:tokens")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get(reverse("api:case-list"), **bearer(secret)).status_code == 401
    assert "Du har inga API-nycklar." in client.get(reverse("api:tokens")).content.decode()


def test_another_persons_key_cannot_be_removed_and_does_not_exist(client, token_of, alice, bob):
    token, secret = token_of(alice)
    client.force_login(bob)
    for data in ({}, {CONFIRM_FIELD: "1"}):
        assert client.post(reverse("api:token_delete", args=[token.pk]), data).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client.get(reverse("api:case-list"), **bearer(secret)).status_code == 200


def test_the_removal_takes_no_get(client, token_of, alice):
    token, _secret = token_of(alice)
    client.force_login(alice)
    assert client.get(reverse("api:token_delete", args=[token.pk])).status_code == 405
