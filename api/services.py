"""What a user does with their API tokens: create one, remove one; and what a request records."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from organisation.models import User

from .models import ApiToken, secret_hash

# Every secret starts so: a secret scanner (or a person) recognises one in a log or a commit.
SECRET_PREFIX = "ks_"
# How much of the secret the token list shows, the marker included: enough to tell keys apart.
SHOWN_LENGTH = len(SECRET_PREFIX) + 6
# The last use is written at most this often: a BI tool fetching page after page would
# otherwise write the token's row on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, and its secret, which is shown once and never stored."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        secret_sha256=secret_hash(secret),
        prefix=secret[:SHOWN_LENGTH],
    )
    return token, secret


def token_revoke(*, token_id: int, actor: User) -> None:
    """Remove one of `actor`'s tokens: from now on it opens nothing (401). The row stays, so the
    token's use can still be told afterwards."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token_id, user=actor, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def token_used(*, token: ApiToken) -> None:
    """Record that `token` opened the API now (to the minute)."""
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
