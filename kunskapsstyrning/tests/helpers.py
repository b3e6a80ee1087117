"""Walking a case to a state through the real services, for tests."""

import threading
from datetime import date

from django.db import connections

from kunskapsstyrning import services
from kunskapsstyrning.demo import PRIORITISATION
from kunskapsstyrning.models import Case, DecisionRule, State
from organisation.models import Membership, Role

ROAD = [
    State.REMISS,
    State.NATIONAL_DECISION,
    State.PRIORITISATION,
    State.BP1,
    State.GAP_ANALYSIS,
    State.BP2,
    State.PLANNING,
    State.BP3,
    State.IMPLEMENTATION,
    State.FOLLOW_UP,
    State.LEARNING,
]


def _someone(unit, role):
    return Membership.objects.filter(unit=unit, role=role).select_related("user").first().user


def walk_to(case, target):
    """Move `case` along the road to `target` as its strategist, chair and decider."""
    if target in (State.POSTPONED, State.NOT_ADOPTED, State.CLOSED, State.SUPERSEDED):
        raise ValueError("walk to an active state, then act")
    strategist = case.strategist
    chair = _someone(case.responsible_lpo, Role.CHAIR)
    while case.state != target:
        state = case.state
        if state == State.REMISS:
            name, actor = "remiss_answered", strategist
        elif state == State.NATIONAL_DECISION:
            name, actor = "nationally_adopted", strategist
        elif state == State.PRIORITISATION:
            services.prioritisation_save(case_id=case.pk, actor=chair, data=PRIORITISATION)
            name, actor = "submit_bp1", chair
        elif state in (State.BP1, State.BP2, State.BP3):
            rule = services.decision_rule_for(case, case.awaiting_point) or DecisionRule()
            decider = _someone(rule.deciding_body, Role.MANAGEMENT)
            services.case_decide(
                case_id=case.pk,
                actor=decider,
                point=case.awaiting_point,
                outcome="bifall",
                decided_on=date(2024, 5, 1),
                motivation="Underlaget är komplett.",
            )
            case = Case.objects.get(pk=case.pk)
            continue
        elif state == State.GAP_ANALYSIS:
            name, actor = "submit_bp2", chair
        elif state == State.PLANNING:
            from implementering.preparations import prepare_for_bp3

            if not hasattr(case, "bp3_checklist") or not case.bp3_checklist.is_complete:
                prepare_for_bp3(case, chair)
            name, actor = "submit_bp3", chair
        elif state == State.IMPLEMENTATION:
            name, actor = "implemented", chair
        elif state == State.FOLLOW_UP:
            name, actor = "learning_started", chair
        else:
            raise ValueError(f"cannot walk from {state} to {target}")
        services.case_act(case_id=case.pk, actor=actor, action_name=name)
        case = Case.objects.get(pk=case.pk)
    return case


# Concurrency tests: how many people act at the same moment.
THREADS = 8


def run_at_once(target, count=THREADS):
    """Start `count` threads that call target(i) at the same moment; collect outcomes."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(i):
        try:
            barrier.wait()
            results[i] = ("ok", target(i))
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test inspects)
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
