"""Every page's query count is pinned, and stays the same with 10 and 1,000 cases."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kunskapsstyrning.models import Case, State
from kunskapsstyrning.tests.helpers import walk_to

pytestmark = pytest.mark.django_db

STATES = [
    State.PRIORITISATION,
    State.BP1,
    State.GAP_ANALYSIS,
    State.BP2,
    State.PLANNING,
    State.BP3,
    State.IMPLEMENTATION,
    State.FOLLOW_UP,
]


def add_cases(count, region, lpo, strategist, support, start=1000):
    Case.objects.bulk_create(
        [
            Case(
                region=region,
                knowledge_support=support,
                registry_year=2020,
                registry_sequence=start + i,
                registry_number=f"{region.short_code} 2020/{start + i}",
                responsible_lpo=lpo,
                strategist=strategist,
                state=STATES[i % len(STATES)],
            )
            for i in range(count)
        ]
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def world(make_case, alice, sara, maja, lpo, region, support):
    case = walk_to(make_case("prioritering"), State.BP1)
    add_cases(9, region, lpo, sara, support)
    return case


# Every logged-in page starts with three queries: session, user, the user's unit permissions
# (the scope, read once per request). Beyond those:
PAGES = {
    # name: (persona, url args, pinned count)
    # the rules of the regions I decide in; awaiting cases; the portfolio (cases per state,
    # decisions this year); my memberships; my invitations to remisser (anyone may be invited
    # as an expert); the plans' overdue activities and yearly follow-ups (management's too);
    # the coming meetings of my body; the follow-up indicators of my regions with a signal of
    # special-cause variation this year (kept on the indicator by the services); my unread
    # notifications; the counters of my regions (the key of the kept sections). Counted as a
    # visit after a change (nothing kept); a visit with nothing changed costs 5, see
    # test_the_home_page_keeps_a_persons_sections_until_their_regions_change
    "home": ("maja", [], 15),
    # every visible case's state, title and LPO; LPO choices of the filter; the decision
    # points the orders of the regions in view do not use (the board says so); the counters of
    # my regions (the key of the kept board)
    "board": ("sara", [], 7),
    # count; a page of cases; LPO choices of the filter
    "case_list": ("sara", [], 6),
    # case; its one-to-ones (prioritisation, gap analysis, plan, checklist); the rounds the
    # case was sent for decisions with (the order it keeps, with proposal and notice) and the
    # parts recorded in them — these replace the region's rules, which a case sent for a
    # decision no longer reads; events with their decisions; documents; the LPO's people, the
    # concerned LPOs and municipalities (one union); the meeting the case stands on (asked
    # only of a case awaiting a decision); the region's rules (the road marks the points its
    # order does not use for the case); who holds the roles that decide the parts still open
    # (the deciding body's and the LPO's, to say when nobody does). The national decision on
    # the case's support comes with the case's one-to-ones.
    "case_detail": ("maja", ["case"], 14),
    # case (with its prioritisation); the case's decision rounds and their parts (the order
    # it was sent with, who decided which part); previous decisions; who holds the roles
    # that decide the parts still open (the deciding body's and the LPO's)
    "case_decide": ("maja", ["case"], 9),
    # the rules of the regions I decide in; awaiting cases; the counters of my regions (the
    # key of the kept page)
    "awaiting_decision": ("maja", [], 6),
    # count; a page of supports with their recommendation counts
    "support_list": ("sara", [], 5),
    # the support with its NPO and the version it replaces; its recommendations, indicators
    # and newer versions; the cases of it I see; my region and its case of the support running
    # (whether I may register one)
    "support_detail": ("sara", ["support"], 10),
    # my region; the supports without a case running in it; its LPOs (responsible and
    # concerned); its municipalities; its strategists
    "case_register": ("sara", [], 9),
}


# Pages kept per person until their region changes (organisation.changes): counted as rendered
# afresh; a visit with nothing changed costs 5 (home) and 4 (case page, board, awaiting
# decision), see test_home_kept and test_case_page_kept.
KEPT = {"home", "case_detail", "board", "awaiting_decision"}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_query_count_is_pinned_and_does_not_grow_with_the_data(
    client, world, name, request, region, lpo, sara, support
):
    persona, args, pinned = PAGES[name]
    client.force_login(request.getfixturevalue(persona))
    objects = {"case": world.pk, "support": support.pk}
    url = reverse(f"kunskapsstyrning:{name}", args=[objects.get(a, a) for a in args])
    client.get(url)  # warm: the session row is written once after login
    if name in KEPT:
        cache.clear()  # as after a change in the region: rendered afresh
    small = count_queries(client, url)
    add_cases(990, region, lpo, sara, support, start=5000)
    if name in KEPT:
        cache.clear()
    large = count_queries(client, url)
    assert small == large, f"{name}: {small} queries with 10 cases, {large} with 1,000"
    assert small == pinned, f"{name}: {small} queries, pinned at {pinned}"
