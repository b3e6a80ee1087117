"""Strategists registering at the same moment, with real threads on PostgreSQL."""

import pytest
from django.db import connection

from kunskapsstyrning.models import Case, KnowledgeSupport
from kunskapsstyrning.services import ActionRefused
from kunskapsstyrning.tests.helpers import run_at_once
from organisation.models import User
from remisser.models import Remiss

from .factories import register, response_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent connections need PostgreSQL (CI runs it)",
    ),
]


def test_four_strategists_registering_the_same_new_support_create_it_once(sara, region, lpo):
    def register_new(i):
        return register(
            User.objects.get(pk=sara.pk),
            region,
            lpo,
            None,
            new_support={"title": "Ny remiss om KOL", "version": "1.0", "type": "vardforlopp"},
        )

    results = run_at_once(register_new, count=4)

    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "error", "error", "ok"], results
    for kind, value in results:
        if kind == "error":
            assert isinstance(value, ActionRefused), value
            assert "finns redan i katalogen" in value.message
    assert KnowledgeSupport.objects.filter(title="Ny remiss om KOL").count() == 1
    # Nothing half-way: the refused registrations left no case and no round.
    assert Remiss.objects.count() == Case.objects.count() == 1


def test_two_chairs_inviting_the_same_expert_at_once_give_one_access(
    distributed, lpo, other_lpo, alice, bob, emil
):
    from remisser import services
    from remisser.models import RemissAccess

    chairs = [(alice, response_of(distributed, lpo)), (bob, response_of(distributed, other_lpo))]

    def invite(i):
        chair, response = chairs[i]
        return services.expert_invite(
            response_id=response.pk,
            actor=User.objects.get(pk=chair.pk),
            user=User.objects.get(pk=emil.pk),
        )

    results = run_at_once(invite, count=2)

    assert sorted(kind for kind, _value in results) == ["error", "ok"], results
    refused = next(value for kind, value in results if kind == "error")
    assert isinstance(refused, ActionRefused), refused
    assert "har redan tillgång" in refused.message
    assert RemissAccess.objects.filter(remiss=distributed, user=emil).count() == 1


def test_two_lags_of_the_same_name_formed_at_once_get_their_own_codes(
    make_case, alice, maja, region, lpo
):
    from gapanalys import services as gap_services
    from organisation.models import Role, Unit, UnitKind
    from organisation.tests.factories import UserFactory, member

    cases = [make_case("gapanalys") for _ in range(2)]
    leader = UserFactory(username="lars2")
    member(leader, lpo, Role.EXPERT)

    def form(i):
        return gap_services.lag_form(
            case_id=cases[i].pk,
            actor=User.objects.get(pk=alice.pk),
            lag=None,
            name="LAG Hjärtsvikt",
            process_leader=User.objects.get(pk=leader.pk),
        )

    results = run_at_once(form, count=2)

    assert [kind for kind, _value in results] == ["ok", "ok"], results
    codes = set(Unit.objects.filter(kind=UnitKind.LAG).values_list("code", flat=True))
    assert len(codes) == 2
