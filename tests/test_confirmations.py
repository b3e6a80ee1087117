"""Every button that removes something or cannot be undone asks first (issue 18).

The templates are read for every POST form whose button says so ("Ta bort …", "Avsluta …",
"… införs inte", "Skicka in …", "… avstår", "Markera som skickat …"); the case page's actions
come from `kunskapsstyrning.services.ACTIONS`. Each route found must put
`common.confirm.confirmation_step` in front of its service, and a POST without the
confirmation must change nothing (tested here for the routes the demo data of the browser test
does not show; tests/browser/test_every_page.py presses the others on the real pages).
"""

import inspect
import re
from pathlib import Path

import pytest
from django.conf import settings

from kunskapsstyrning import services as case_services
from tests.test_url_permissions import product_patterns

pytestmark = pytest.mark.django_db

DESTRUCTIVE = re.compile(
    r"^\s*(Ta bort|Avsluta|Registrera nationellt beslut: införs inte|Skicka in|"
    r"Regionen avstår|Markera som skickat|Radera)",
    re.IGNORECASE,
)
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.DOTALL)
ACTION_URL = re.compile(r"""action="\{%\s*url\s+'(?P<name>[\w:]+)'""")
FORM_ID = re.compile(r'\bid="(?P<id>[^"{]+)')
BUTTON = re.compile(r"<button\b(?P<attrs>[^>]*)>(?P<body>.*?)</button>", re.DOTALL)
TEXT = re.compile(r"""\{%\s*translate\s+"(?P<text>[^"]+)"\s*%\}""")


def _button_texts(body):
    for button in BUTTON.finditer(body):
        if 'type="button"' in button["attrs"]:
            continue
        texts = TEXT.findall(button["body"])
        yield button["attrs"], texts[0] if texts else ""


def route_name(name):
    """A route's name without its app's namespace (the names are unique across the apps)."""
    return name.rsplit(":", 1)[-1]


def destructive_routes_in_templates():
    """{route name: [template, button text]} for every destructive POST button in a template."""
    found = {}
    templates = Path(settings.BASE_DIR, "templates")
    for template in templates.rglob("*.html"):
        if "/pdf/" in str(template) or "/email/" in str(template):
            continue
        source = template.read_text()
        forms_by_id = {}
        for form in FORM.finditer(source):
            if 'method="post"' not in form["attrs"]:
                continue
            action = ACTION_URL.search(form["attrs"])
            if action:
                names = [route_name(action["name"])]
            elif "action=" not in form["attrs"]:  # posts back to the page that shows it
                names = routes_rendering(str(template.relative_to(templates)))
            else:
                continue
            form_id = FORM_ID.search(form["attrs"])
            if form_id and action:
                forms_by_id[form_id["id"].rstrip("-")] = route_name(action["name"])
            for _attrs, text in _button_texts(form["body"]):
                if DESTRUCTIVE.search(text):
                    assert names, f"{template.name}: '{text}' posts to a page nobody renders"
                    for name in names:
                        found.setdefault(name, []).append((template.name, text))
        # A button outside its form: <button form="delete-{{ c.pk }}">.
        for attrs, text in _button_texts(source):
            target = re.search(r'\bform="(?P<id>[^"{]+)', attrs)
            if target and DESTRUCTIVE.search(text):
                name = forms_by_id.get(target["id"].rstrip("-"))
                assert name, f"{template.name}: '{text}' submits a form this test cannot find"
                found.setdefault(name, []).append((template.name, text))
    return found


def views():
    """{route name: view function} of the product's URLs."""
    return {route_name(name): pattern.callback for name, _route, pattern in product_patterns()}


def view_of(name):
    return inspect.unwrap(views()[name])


def routes_rendering(template_path):
    """The routes whose view renders `template_path` (a form that posts back to its page)."""
    return [
        name
        for name, view in views().items()
        if f'"{template_path}"' in inspect.getsource(inspect.unwrap(view))
    ]


def test_the_search_finds_the_destructive_buttons_the_issue_names():
    found = destructive_routes_in_templates()
    for route in (
        "gap_statement_delete",
        "remiss_comment_delete",
        "remiss_expert_revoke",
        "remiss_decline",
        "remiss_send",
        "measurement_delete",
        "indicator_delete",
        "activity_delete",
        "gap_exclude",
        "remiss_answer",
    ):
        assert route in found, f"no destructive button found for {route}: {sorted(found)}"


def test_every_destructive_button_leads_to_a_view_with_a_confirmation_step():
    unconfirmed = []
    for route, buttons in destructive_routes_in_templates().items():
        if "confirmation_step(" not in inspect.getsource(view_of(route)):
            unconfirmed.append((route, buttons))
    assert not unconfirmed


def test_the_chair_answer_asks_before_it_is_submitted():
    # "Skicka in LPO:ts svar" shares its form with "Spara utkast": the view asks for step=submit.
    source = inspect.getsource(view_of("remiss_answer"))
    assert "submit and (\n                confirm := confirmation_step(" in source


def test_every_irreversible_case_action_says_what_cannot_be_undone():
    for action in case_services.ACTIONS.values():
        if DESTRUCTIVE.search(str(action.label)):
            assert action.irreversible, f"{action.name} ({action.label}) does not ask first"
    assert case_services.ACTIONS["closed"].irreversible
    assert case_services.ACTIONS["nationally_rejected"].irreversible
    # Offered where no remiss is registered in the case: the case moves past the station.
    assert case_services.ACTIONS["remiss_answered"].irreversible


def test_marking_a_remiss_answered_without_a_round_asks_first(client, make_case, sara, alice):
    from django.urls import reverse

    from kunskapsstyrning.models import Case, State

    case = make_case("remiss")
    url = reverse("kunskapsstyrning:case_action", args=[case.pk, "remiss_answered"])
    client.force_login(sara)
    asked = client.post(url, {"state": case.state})
    assert "det går inte att registrera den efteråt" in asked.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.REMISS
    client.post(url, {"state": case.state, "bekraftat": "1"})
    assert Case.objects.get(pk=case.pk).state == State.NATIONAL_DECISION
