"""The reference catalogue loads on every `make run`: it fills what is missing and leaves what
the product has recorded since."""

import pytest

from kunskapsstyrning import reference_data
from kunskapsstyrning.loaders import load_catalogue
from kunskapsstyrning.models import KnowledgeSupport, NationalStatus
from organisation.loaders import load_reference_data

pytestmark = pytest.mark.django_db


def test_a_reload_keeps_the_national_status_the_product_has_recorded():
    load_reference_data()
    load_catalogue()
    first = reference_data.VARDFORLOPP[0]
    support = KnowledgeSupport.objects.get(title=first["title"], version="1.0")
    assert support.national_status == first["national_phase"]
    # A national decision recorded in the product changed it (nationellt's service does this).
    other = next(s for s in NationalStatus.values if s != first["national_phase"])
    KnowledgeSupport.objects.filter(pk=support.pk).update(national_status=other)

    load_catalogue()

    support.refresh_from_db()
    assert support.national_status == other


def test_a_new_support_takes_its_national_status_from_the_reference_data():
    load_reference_data()
    load_catalogue()
    assert {s.title: s.national_status for s in KnowledgeSupport.objects.all()} == {
        item["title"]: item["national_phase"] for item in reference_data.VARDFORLOPP
    }
