"""Reference catalogue: the national vårdförlopp (seed 001/000) with sample recommendations."""

from decimal import Decimal

from django.db import transaction

from organisation.loaders import _upsert
from organisation.models import Region, Unit

from . import reference_data as ref
from .models import DecisionRule, Indicator, KnowledgeSupport, Recommendation


@transaction.atomic
def load_catalogue(data=ref):
    changes = 0
    npos = {u.code: u for u in Unit.objects.filter(kind="NPO")}
    known = set(KnowledgeSupport.objects.values_list("title", "version"))
    for item in data.VARDFORLOPP:
        key = {"title": item["title"], "version": "1.0"}
        values = {
            "type": item.get("type", "vardforlopp"),
            "npo": npos.get(f"NPO_{item['programme_area']}"),
            "description": item.get("phase_text", ""),
        }
        if (item["title"], "1.0") not in known:
            # The national status only for a new support: later it follows the national
            # decisions recorded in the product, which a reload (every `make run`) must keep.
            values["national_status"] = item["national_phase"]
        support, changed = _upsert(KnowledgeSupport, key, **values)
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


@transaction.atomic
def load_decision_orders(data=ref):
    """The seed regions' decision bodies and decision orders (Jämtland Härjedalen's, and
    Västernorrland's with its municipalities). An order the administrator has edited since
    is left as it is: reference data only fills what is missing."""
    changes = 0
    regions = {r.code: r for r in Region.objects.all()}
    bodies = {}
    for code, kind, name, county in data.DECISION_BODIES:
        region = regions.get(county)
        if region is None:
            continue  # the regions are loaded first (organisation's reference data)
        bodies[code], changed = _upsert(Unit, {"code": code}, kind=kind, name=name, region=region)
        changes += changed
    for row in data.DECISION_ORDERS:
        region = regions.get(row["region"])
        if region is None:
            continue
        lookup = {"region": region, "point": row["point"], "applies_to": row["applies_to"]}
        if DecisionRule.objects.filter(**lookup).exists():
            continue
        values = {k: v for k, v in row.items() if k not in ("region", "point", "applies_to")}
        for name in ("deciding_body", "municipal_body", "preparing_body"):
            if name in values:
                values[name] = bodies[values[name]]
        _obj, changed = _upsert(DecisionRule, lookup, **values)
        changes += changed
    return changes
