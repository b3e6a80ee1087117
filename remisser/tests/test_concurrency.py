"""Strategists registering at the same moment, with real threads on PostgreSQL."""

import pytest
from django.db import connection

from kunskapsstyrning.models import Case, KnowledgeSupport
from kunskapsstyrning.services import ActionRefused
from kunskapsstyrning.tests.helpers import run_at_once
from organisation.models import User
from remisser.models import Remiss

from .factories import register

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
