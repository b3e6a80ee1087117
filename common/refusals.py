"""The one way a service says no, and the one way a page shows it.

A service raises `ActionRefused` (in Swedish, saying why) when an action is not possible now;
nothing was changed. A view shows it as an error message (`show_refusal`) or on its form
(`refusal_text`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class ActionRefused(ValidationError):
    """The action is not possible in the object's current state; nothing was changed."""


def refusal_text(exc: ValidationError) -> str:
    """The refusal's messages as one sentence or more."""
    return " ".join(str(message) for message in exc.messages)


def show_refusal(request: HttpRequest, exc: ValidationError) -> None:
    """Tell the person on the next page why their action was refused."""
    messages.error(request, refusal_text(exc))
