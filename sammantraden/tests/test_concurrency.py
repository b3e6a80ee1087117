"""Two strategists putting the same case on a meeting at the same moment: one wins (issue 16).

Real threads on PostgreSQL, each with its own connection, released by one barrier."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from common.refusals import ActionRefused
from kunskapsstyrning.models import Decision
from kunskapsstyrning.tests.helpers import THREADS, run_at_once
from organisation.models import Role, User
from organisation.tests.factories import UserFactory, member
from sammantraden import services
from sammantraden.models import MeetingItem

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
    ),
]


def test_strategists_adding_the_same_case_to_two_meetings_at_once_put_it_on_one(
    meeting, bp1_cases, sara, office, region, management_body
):
    strategists = [sara] + [UserFactory(username=f"strateg{i}") for i in range(THREADS - 1)]
    for strategist in strategists[1:]:
        member(strategist, office, Role.STRATEGIST, start_date=date(2024, 1, 1))
    later = services.meeting_create(
        actor=sara,
        region=region,
        deciding_body=management_body,
        point="BP1",
        date=timezone.localdate() + timedelta(days=7),
    )
    meetings = [meeting, later]
    case = bp1_cases[0]

    def add(i):
        return services.meeting_add_cases(
            meeting_id=meetings[i % 2].pk,
            actor=User.objects.get(pk=strategists[i].pk),
            case_ids=[case.pk],
        )

    results = run_at_once(add)
    winners = [r for kind, r in results if kind == "ok"]
    losers = [r for kind, r in results if kind == "error"]
    assert len(winners) == 1
    assert all(
        isinstance(e, ActionRefused) and "står redan på dagordningen" in e.messages[0]
        for e in losers
    ), losers
    assert MeetingItem.objects.filter(case=case).count() == 1


def test_two_managers_confirming_the_same_item_at_once_record_one_decision(
    agenda, management_body, maja
):
    managers = [maja] + [UserFactory(username=f"chef{i}") for i in range(THREADS - 1)]
    for manager in managers[1:]:
        member(manager, management_body, Role.MANAGEMENT, start_date=date(2024, 1, 1))
    item = agenda.items.order_by("number").first()

    def confirm(i):
        return services.meeting_decide(
            item_id=item.pk,
            actor=User.objects.get(pk=managers[i].pk),
            outcome="bifall",
            decided_on=timezone.localdate(),
            motivation=f"Beslut {i}",
        )

    results = run_at_once(confirm)
    assert [kind for kind, _ in results].count("ok") == 1
    assert Decision.objects.filter(case_id=item.case_id).count() == 1
    item.refresh_from_db()
    assert item.decision is not None and not item.open
