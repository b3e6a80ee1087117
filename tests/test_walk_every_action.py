"""Issue 13's walk: the demo loaded, every demo person on every demo case page, every action the
page offers tried — none is offered whose condition fails, and each offered one succeeds or is
refused with a clear message, never a 500.

On the case page an action is a form that posts (a button) or a link to a page of the case
(a form page: decide, prioritise, the national decision, the gap analysis, the plan …). Every
button of the lifecycle (`/atgard/<name>/`) must have its transition's conditions hold
(`services.transition_refusal`) and must succeed when pressed; any other button must answer
without an error page; every link must open (200) for the person it is shown to. Each press runs
in a transaction rolled back afterwards, so every person meets the demo as it was loaded.
"""

import re
from html import unescape

import pytest
from django.contrib.messages import constants
from django.core.management import call_command
from django.db import transaction

from common.confirm import CONFIRM_FIELD
from gapanalys.selectors import gap_analysis_ready
from implementering.selectors import checklist_ready, plan_carried_out
from kunskapsstyrning import services
from kunskapsstyrning.models import Case, State
from organisation.models import User

pytestmark = pytest.mark.django_db

FORM = re.compile(r'<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
LINK = re.compile(r'<a [^>]*href="([^"#?]+)')
ACTION = re.compile(r"/arenden/\d+/atgard/([\w-]+)/$")
# A document download answers whatever state its render is in; the verification page is open.
APPROVAL = {
    "outcome": "bifall",
    "decided_on": "2026-01-15",
    "motivation": "Prövat i genomgången av alla åtgärder.",
}
NOT_AN_ACTION = re.compile(r"/dokument/\d+/$|/verifiera/$")


DECIDE = re.compile(r"/arenden/\d+/beslut/(del/[\w-]+/)?$")
PAST_BP2 = {State.PLANNING, State.BP3, State.IMPLEMENTATION, State.FOLLOW_UP, State.LEARNING}


class RolledBack(Exception):
    """Raised to undo one press."""


def gates_broken(case_pk):
    """What the case's state claims that its gates deny, checked apart from the pages: in BP2
    its analysis is ready, past BP2 it has one with every row assessed, in BP3 the checklist is
    ticked, in follow-up the plan is carried out."""
    case = Case.objects.get(pk=case_pk)
    broken = []
    if case.state == State.BP2 and not gap_analysis_ready(case):
        broken.append("BP2 without a ready gap analysis")
    analysis = getattr(case, "gap_analysis", None)
    if case.state in PAST_BP2 and (
        analysis is None or not analysis.row_count or analysis.assessed_count < analysis.row_count
    ):
        broken.append("past BP2 without an assessed gap analysis")
    if case.state == State.BP3 and not checklist_ready(case):
        broken.append("BP3 without a ticked checklist")
    if case.state == State.FOLLOW_UP and not plan_carried_out(case):
        broken.append("follow-up with the plan not carried out")
    return broken


def _case_paths(case):
    return (f"/arenden/{case.pk}/", f"/nationellt/arende/{case.pk}/")


def _press(client, url, data, case):
    """POST and follow, inside a transaction that is rolled back: the status, the error
    messages, and what the case's gates say of where it went."""
    outcome = {}
    try:
        with transaction.atomic():
            response = client.post(url, data, follow=True)
            outcome["gates"] = gates_broken(case.pk)
            outcome["status"] = response.status_code
            outcome["errors"] = (
                [str(m) for m in response.context["messages"] if m.level == constants.ERROR]
                if response.context and "messages" in response.context
                else []
            )
            outcome["redirects"] = response.redirect_chain
            raise RolledBack
    except RolledBack:
        pass
    return outcome


def test_no_page_offers_an_action_whose_condition_fails(client):
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    cases = list(Case.objects.select_related("region").order_by("pk"))
    people = list(User.objects.filter(is_active=True).order_by("username"))
    assert len(cases) >= 18 and len(people) >= 10
    # The demo tells a consistent story: no case stands where its gates would not let it be.
    assert not [(c.pk, c.state, gates_broken(c.pk)) for c in cases if gates_broken(c.pk)]
    problems, pressed, opened, decided, seen = [], 0, 0, 0, set()
    for person in people:
        client.force_login(person)
        for case in cases:
            page = client.get(f"/arenden/{case.pk}/")
            if page.status_code in (403, 404):
                continue
            assert page.status_code == 200, (person.username, case.pk, page.status_code)
            seen.add((case.pk, case.state))
            html = page.content.decode()
            here = _case_paths(case)
            for url, body in FORM.findall(html):
                url = unescape(url)
                if not url.startswith(here) or NOT_AN_ACTION.search(url):
                    continue
                name = ACTION.search(url)
                fresh = Case.objects.get(pk=case.pk)
                if name:
                    action = services.ACTIONS[name.group(1)]
                    refusal = services.transition_refusal(fresh, action.transition)
                    if refusal is not None:
                        problems.append((person.username, case.pk, url, "offered:", refusal))
                data = dict(HIDDEN.findall(body))
                if name and services.ACTIONS[name.group(1)].irreversible:
                    data[CONFIRM_FIELD] = "1"
                outcome = _press(client, url, data, case)
                pressed += 1
                if outcome["gates"]:
                    problems.append((person.username, case.pk, url, outcome["gates"]))
                if outcome["status"] >= 400:
                    problems.append((person.username, case.pk, url, outcome["status"]))
                elif name and outcome["errors"]:
                    problems.append((person.username, case.pk, url, outcome["errors"]))
            for url in sorted(set(LINK.findall(html))):
                url = unescape(url)
                if not url.startswith(here) or NOT_AN_ACTION.search(url):
                    continue
                if url.rstrip("/") == f"/arenden/{case.pk}":
                    continue
                response = client.get(url)
                opened += 1
                if response.status_code != 200:
                    problems.append((person.username, case.pk, url, response.status_code))
                elif DECIDE.search(url):
                    # Approve on the decision page offered: recorded, or refused in words.
                    outcome = _press(client, url, {**APPROVAL, "step": "confirm"}, case)
                    decided += 1
                    if outcome["status"] >= 400 or outcome["gates"]:
                        problems.append((person.username, case.pk, url, outcome))
    assert not problems, problems
    # The walk met the demo: several people acting on cases in every station of the road.
    states = {state for _pk, state in seen}
    assert {"prioritering", "bp1", "gapanalys", "bp2", "planering", "genomforande"} <= states
    assert {"uppfoljning"} <= states
    assert pressed > 20 and opened > 50 and decided >= 3, (pressed, opened, decided)
