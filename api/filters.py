"""The list endpoints' filters (django-filter). Ids are whole numbers; anything else is a 400
with the field's message in Swedish."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from gapanalys.models import GapAnalysis
from implementering.models import FollowUpIndicator, Measurement
from kunskapsstyrning.models import Case, Decision, DecisionPoint, KnowledgeSupport, State

# The largest id a bigint holds: a larger number is refused as input, never sent to the database.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class KnowledgeSupportFilter(django_filters.FilterSet):
    class Meta:
        model = KnowledgeSupport
        fields = ["type", "national_status"]


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices, label="Status")
    region = IdFilter(field_name="region_id", label="Regionens id")
    knowledge_support = IdFilter(field_name="knowledge_support_id", label="Kunskapsstödets id")
    responsible_lpo = IdFilter(field_name="responsible_lpo_id", label="Ansvariga LPO:ts id")

    class Meta:
        model = Case
        fields = ["state", "region", "knowledge_support", "responsible_lpo"]


class DecisionFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="Ärendets id")
    point = django_filters.ChoiceFilter(choices=DecisionPoint.choices, label="Beslutspunkt")

    class Meta:
        model = Decision
        fields = ["case", "point", "outcome"]


class GapAnalysisFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="Ärendets id")

    class Meta:
        model = GapAnalysis
        fields = ["case"]


class IndicatorFilter(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label="Ärendets id")

    class Meta:
        model = FollowUpIndicator
        fields = ["case"]


class MeasurementFilter(django_filters.FilterSet):
    case = IdFilter(field_name="indicator__case_id", label="Ärendets id")
    indicator = IdFilter(field_name="indicator_id", label="Indikatorns id")

    class Meta:
        model = Measurement
        fields = ["case", "indicator"]
