"""The product's own passwords, which a region that signs in through its IdP may switch off.

LOCAL_LOGIN = "all" (the embedded default and the demo), "superusers" (an emergency
administrator only) or "off". Sign-in through the organisation's IdP is
`organisation.oidc.OrganisationOIDCBackend`.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def local_login_allowed_for(user):
    mode = settings.LOCAL_LOGIN
    return mode == "all" or (mode == "superusers" and user.is_superuser)


class LocalPasswordBackend(ModelBackend):
    """Django's username + password, when LOCAL_LOGIN allows it for this person."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.LOCAL_LOGIN == "off":
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not local_login_allowed_for(user):
            return None
        return user
