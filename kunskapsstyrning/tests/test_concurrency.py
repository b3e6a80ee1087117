"""Two people acting at once, with real threads and their own connections (PostgreSQL only:
SQLite's test database lives in one connection's memory)."""

from datetime import date

import pytest
from django.db import connection

from kunskapsstyrning import services
from kunskapsstyrning.models import Case, CaseEvent, Decision, State
from kunskapsstyrning.tests.factories import copy_of
from kunskapsstyrning.tests.helpers import THREADS, run_at_once, walk_to
from organisation.models import Role
from organisation.tests.factories import UserFactory, member

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (CI runs it)",
    ),
]


def test_managers_confirming_the_same_decision_at_once_record_exactly_one(
    case, management_body, maja
):
    managers = [maja] + [UserFactory(username=f"chef{i}") for i in range(THREADS - 1)]
    for manager in managers[1:]:
        member(manager, management_body, Role.MANAGEMENT, start_date=date(2024, 1, 1))
    case = walk_to(case, State.BP1)

    def confirm(i):
        return services.case_decide(
            case_id=case.pk,
            actor=type(maja).objects.get(pk=managers[i].pk),
            point="BP1",
            outcome="bifall",
            decided_on=date(2025, 1, 1),
            motivation=f"Beslut {i}",
        )

    results = run_at_once(confirm)
    winners = [r for kind, r in results if kind == "ok"]
    losers = [r for kind, r in results if kind == "error"]
    assert len(winners) == 1
    assert all(
        isinstance(e, services.ActionRefused) and "redan gått vidare" in e.message for e in losers
    ), losers
    assert Decision.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DECISION).count() == 1
    assert Case.objects.get(pk=case.pk).state == State.GAP_ANALYSIS


def test_chairs_submitting_at_once_move_the_case_once(case, alice):
    from devdata.demo import PRIORITISATION

    services.prioritisation_save(case_id=case.pk, actor=alice, data=PRIORITISATION)

    def submit(i):
        return services.case_act(
            case_id=case.pk, actor=type(alice).objects.get(pk=alice.pk), action_name="submit_bp1"
        )

    results = run_at_once(submit)
    assert [kind for kind, _ in results].count("ok") == 1
    assert CaseEvent.objects.filter(case=case, to_state=State.BP1).count() == 1


def test_registry_numbers_stay_unique_and_gap_free_under_concurrent_registration(
    region, lpo, sara, support
):
    supports = [support] + [copy_of(support) for _ in range(11)]  # one case per support

    def register(i):
        return services.case_register(
            actor=type(sara).objects.get(pk=sara.pk),
            region=region,
            knowledge_support=supports[i],
            responsible_lpo=lpo,
            strategist=sara,
        ).registry_sequence

    results = run_at_once(register, count=12)
    assert all(kind == "ok" for kind, _ in results), results
    assert sorted(r for _, r in results) == list(range(1, 13))


def test_strategists_registering_the_same_support_at_once_open_one_case(region, lpo, sara, support):
    def register(i):
        return services.case_register(
            actor=type(sara).objects.get(pk=sara.pk),
            region=region,
            knowledge_support=support,
            responsible_lpo=lpo,
            strategist=sara,
        )

    results = run_at_once(register, count=THREADS)
    assert sorted(kind for kind, _ in results) == ["error"] * (THREADS - 1) + ["ok"], results
    case = Case.objects.get()
    for kind, value in results:
        if kind == "error":
            assert isinstance(value, services.ActionRefused), value
            assert case.registry_number in value.message
    assert case.registry_sequence == 1  # the refused ones gave their numbers back
