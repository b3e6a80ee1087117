"""Reference catalogue: the national vårdförlopp (seed 001/000) with sample recommendations."""

from decimal import Decimal

from django.db import transaction

from organisation.loaders import _upsert
from organisation.models import Unit

from . import reference_data as ref
from .models import Indicator, KnowledgeSupport, Recommendation


@transaction.atomic
def load_catalogue(data=ref):
    changes = 0
    npos = {u.code: u for u in Unit.objects.filter(kind="NPO")}
    for item in data.VARDFORLOPP:
        support, changed = _upsert(
            KnowledgeSupport,
            {"title": item["title"], "version": "1.0"},
            type=item.get("type", "vardforlopp"),
            npo=npos.get(f"NPO_{item['programme_area']}"),
            national_status=item["national_phase"],
            description=item.get("phase_text", ""),
        )
        changes += changed
        for number, text, level in data.SAMPLE_RECOMMENDATIONS.get(item["title"], []):
            _obj, changed = _upsert(
                Recommendation,
                {"knowledge_support": support, "number": number},
                text=text,
                care_level=level,
            )
            changes += changed
        for indicator in data.SAMPLE_INDICATORS.get(item["title"], []):
            values = {k: v for k, v in indicator.items() if k != "code"}
            if values.get("target") is not None:
                values["target"] = Decimal(str(values["target"])).quantize(Decimal("0.01"))
            _obj, changed = _upsert(
                Indicator, {"knowledge_support": support, "code": indicator["code"]}, **values
            )
            changes += changed
    return changes
