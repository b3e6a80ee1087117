"""The confirmation step in front of every destructive or irreversible action.

A view that removes something or makes a step that cannot be undone calls
`confirmation_step()` after its access checks and before its service: the first POST gets a
page that asks, names what happens and re-posts the same fields with `bekraftat=1`; only that
second POST goes on. It needs no script (CSP forbids inline ones), works with the keyboard,
and a test can find it (`CONFIRM_FIELD` in the page, `data-confirmation-step` on its form).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "bekraftat"


def confirmation_step(
    request: HttpRequest,
    *,
    question: str,
    confirm_label: str,
    back_url: str,
    consequence: str = "",
) -> HttpResponse | None:
    """The page that asks before `request` goes on, or None once the user has confirmed."""
    if request.POST.get(CONFIRM_FIELD) == "1":
        return None
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "includes/confirm.html",
        {
            "question": question,
            "consequence": consequence,
            "confirm_label": confirm_label,
            "back_url": back_url,
            "fields": fields,
            "confirm_field": CONFIRM_FIELD,
        },
    )
