"""Loading the national reference data idempotently: running it twice changes nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import reference_data as ref
from .models import (
    HealthcareRegion,
    MunicipalAssociation,
    Municipality,
    ProgrammeArea,
    Region,
    Unit,
    UnitKind,
)


def _upsert(model, lookup, **values):
    """Create or update one row; saves only when something differs. Returns (obj, changed)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj, bool(changed)


def _by_code(mapping, code, what):
    try:
        return mapping[code]
    except KeyError:
        raise ValidationError(
            _("Okänd kod %(code)s för %(what)s i referensdata.") % {"code": code, "what": what}
        ) from None


@transaction.atomic
def load_reference_data(data=ref):
    """Load healthcare regions, regions, municipalities, programme areas and national groups.

    Atomic: an unknown code anywhere aborts the whole load with a message saying which.
    """
    changes = 0
    healthcare = {}
    for code, name in data.HEALTHCARE_REGIONS:
        healthcare[code], changed = _upsert(HealthcareRegion, {"code": code}, name=name)
        changes += changed
    regions = {}
    for code, name, short_code, hc_code in data.REGIONS:
        regions[code], changed = _upsert(
            Region,
            {"code": code},
            name=name,
            short_code=short_code,
            healthcare_region=_by_code(healthcare, hc_code, _("sjukvårdsregion")),
        )
        changes += changed
    for code, name, county in data.MUNICIPALITIES:
        _obj, changed = _upsert(
            Municipality, {"code": code}, name=name, region=_by_code(regions, county, _("län"))
        )
        changes += changed
    for code, name, county in data.MUNICIPAL_ASSOCIATIONS:
        association, changed = _upsert(
            MunicipalAssociation,
            {"code": code},
            name=name,
            region=_by_code(regions, county, _("län")),
        )
        changes += changed
        members = set(Municipality.objects.filter(region__code=county).values_list("pk", flat=True))
        if set(association.municipalities.values_list("pk", flat=True)) != members:
            association.municipalities.set(members)
            changes += 1
    sks, changed = _upsert(
        Unit,
        {"code": "SKS"},
        kind=UnitKind.SKS,
        name="Styrgruppen för kunskapsstyrning i samverkan (SKS)",
    )
    changes += changed
    for code, name, host in data.PROGRAMME_AREAS:
        area, changed = _upsert(
            ProgrammeArea,
            {"code": code},
            name=name,
            host=_by_code(healthcare, host, _("värdsjukvårdsregion")),
        )
        changes += changed
        _obj, changed = _upsert(
            Unit,
            {"code": f"NPO_{code}"},
            kind=UnitKind.NPO,
            name=f"NPO {name}",
            programme_area=area,
        )
        changes += changed
    for code, name in data.NATIONAL_COLLABORATION_GROUPS:
        _obj, changed = _upsert(Unit, {"code": code}, kind=UnitKind.NSG, name=name, parent=sks)
        changes += changed
    return changes
