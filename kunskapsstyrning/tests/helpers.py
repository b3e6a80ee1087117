"""Walking a case to a state through the real services, for tests."""

import threading
from datetime import date

from django.db import connections

from devdata.demo import PRIORITISATION
from kunskapsstyrning import services
from kunskapsstyrning.models import ROAD_DECISIONS, ROAD_STATES, Case, DecisionRule, road_to
from organisation.models import Membership, Role


def _someone(unit, role):
    return Membership.objects.filter(unit=unit, role=role).select_related("user").first().user


def walk_to(case, target):
    """Move `case` along the road to `target` as its strategist, chair and decider."""
    if target not in ROAD_STATES:
        raise ValueError("walk to an active state, then act")
    strategist = case.strategist
    chair = _someone(case.responsible_lpo, Role.CHAIR)
    for transition, _state in road_to(target, start=case.state):
        if transition in ROAD_DECISIONS:
            point = ROAD_DECISIONS[transition]
            rule = services.decision_rule_for(case, point) or DecisionRule()
            services.case_decide(
                case_id=case.pk,
                actor=_someone(rule.deciding_body, Role.MANAGEMENT),
                point=point,
                outcome="bifall",
                decided_on=date(2024, 5, 1),
                motivation="Underlaget är komplett.",
            )
        else:
            actor = strategist if transition in ("remiss_answered", "nationally_adopted") else chair
            if transition == "submit_bp1":
                services.prioritisation_save(case_id=case.pk, actor=chair, data=PRIORITISATION)
            if transition == "submit_bp2":
                from gapanalys.preparations import prepare_for_bp2
                from gapanalys.selectors import gap_analysis_ready

                if not gap_analysis_ready(case):
                    prepare_for_bp2(case, chair)
            if transition == "implemented":
                from implementering.preparations import carry_out_plan

                carry_out_plan(case, chair)
            if transition == "submit_bp3":
                from implementering.preparations import prepare_for_bp3

                if not hasattr(case, "bp3_checklist") or not case.bp3_checklist.is_complete:
                    prepare_for_bp3(case, chair)
            services.case_act(case_id=case.pk, actor=actor, action_name=transition)
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
