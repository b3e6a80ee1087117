import types

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from organisation import reference_data
from organisation.loaders import load_reference_data
from organisation.models import (
    HealthcareRegion,
    MunicipalAssociation,
    Municipality,
    ProgrammeArea,
    Region,
    Unit,
    UnitKind,
)

pytestmark = pytest.mark.django_db


def test_reference_data_has_the_national_structure():
    load_reference_data()
    assert HealthcareRegion.objects.count() == 6
    assert Region.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert Municipality.objects.filter(region__healthcare_region__code="NORRA").count() == 44
    assert Municipality.objects.filter(region__code="22").count() == 7  # Västernorrland
    assert ProgrammeArea.objects.count() == 26
    assert Unit.objects.filter(kind=UnitKind.NPO).count() == 26
    assert Unit.objects.filter(kind=UnitKind.SKS).count() == 1
    assert Unit.objects.filter(kind=UnitKind.NSG, parent__kind=UnitKind.SKS).count() == 8
    kfvn = MunicipalAssociation.objects.get(code="KFVN")
    assert kfvn.municipalities.count() == 7


def test_every_region_belongs_to_one_healthcare_region():
    load_reference_data()
    norra = Region.objects.filter(healthcare_region__code="NORRA").values_list("name", flat=True)
    assert set(norra) == {
        "Region Jämtland Härjedalen",
        "Region Västernorrland",
        "Region Västerbotten",
        "Region Norrbotten",
    }


def test_loading_twice_changes_nothing():
    assert load_reference_data() > 0
    before = {m: m.objects.count() for m in (Region, Municipality, Unit, ProgrammeArea)}
    assert load_reference_data() == 0
    assert before == {m: m.objects.count() for m in before}


def test_an_unknown_code_aborts_the_whole_load_with_a_swedish_message():
    data = types.SimpleNamespace(
        **{name: getattr(reference_data, name) for name in dir(reference_data) if name.isupper()}
    )
    data.MUNICIPALITIES = data.MUNICIPALITIES + [("9999", "Påhittad", "99")]
    with pytest.raises(ValidationError) as error:
        load_reference_data(data)
    assert "Okänd kod 99" in error.value.messages[0]
    assert Region.objects.count() == 0  # nothing saved half-way


def test_the_command_reports_bad_data_as_a_command_error(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setattr(
        reference_data, "REGIONS", reference_data.REGIONS + [("98", "Region X", "RX", "OKAND")]
    )
    with pytest.raises(CommandError, match="Okänd kod OKAND"):
        call_command("load_reference_data")
