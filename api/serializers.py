"""What the API shows of each object: read-only, flat enough for a BI tool."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gapanalys.models import GapAnalysis
from implementering.models import FollowUpIndicator, Measurement
from kunskapsstyrning.models import Case, Decision, Document, KnowledgeSupport, Recommendation
from organisation.models import Municipality, Region, Unit


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """A choice's label in Swedish, from the field's value (`source`): what `get_FOO_display`
    says, without calling it per object. Measured on a page of 50 cases at scale N, the
    `get_state_display` source cost 25% of the API's request: DRF inspects the method's
    signature for every object and Django rebuilds the choices' dictionary on every call."""

    def __init__(self, model, name, **kwargs):
        self.labels = dict(model._meta.get_field(name).flatchoices)
        super().__init__(source=name, read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class ErrorSerializer(serializers.Serializer):
    """Every error: 400, 401, 404 and 429 answer `{"detail": "…"}` in Swedish; a 400 names the
    wrong parameters and their messages under `errors`."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "code", "name"]


class RecommendationSerializer(serializers.ModelSerializer):
    care_level_label = LabelField(Recommendation, "care_level")

    class Meta:
        model = Recommendation
        fields = ["id", "number", "text", "care_level", "care_level_label"]


class KnowledgeSupportSerializer(serializers.ModelSerializer):
    type_label = LabelField(KnowledgeSupport, "type")
    national_status_label = LabelField(KnowledgeSupport, "national_status")
    npo = UnitSerializer(allow_null=True)
    recommendations = RecommendationSerializer(many=True)

    class Meta:
        model = KnowledgeSupport
        fields = [
            "id",
            "title",
            "version",
            "type",
            "type_label",
            "national_status",
            "national_status_label",
            "npo",
            "url",
            "published",
            "replaces",
            "recommendations",
        ]


class SupportBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = KnowledgeSupport
        fields = ["id", "title", "version"]


class CaseSerializer(serializers.ModelSerializer):
    knowledge_support = SupportBriefSerializer()
    region = RegionSerializer()
    responsible_lpo = UnitSerializer()
    state_label = LabelField(Case, "state")
    municipalities = MunicipalitySerializer(many=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "registry_number",
            "knowledge_support",
            "region",
            "responsible_lpo",
            "state",
            "state_label",
            "joint",
            "municipalities",
            "opened_at",
            "state_changed_at",
            "due_date",
            "closed_at",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = LabelField(Document, "kind")
    status_label = LabelField(Document, "status")
    sha256 = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_label",
            "version",
            "status",
            "status_label",
            "size",
            "pages",
            "sha256",
            "finished_at",
            "download_url",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_sha256(self, document):
        return document.sha256 or None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download_url(self, document):
        """The product's own download page (the same permission check as on the case page);
        only a finished document has one."""
        if document.status != Document.Status.READY:
            return None
        path = reverse(
            "kunskapsstyrning:document_download",
            kwargs={"pk": document.case_id, "document_pk": document.pk},
        )
        return self.context["request"].build_absolute_uri(path)


class DecisionSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    registry_number = serializers.CharField(source="case.registry_number")
    outcome_label = LabelField(Decision, "outcome")
    deciding_body = UnitSerializer()
    documents = DocumentSerializer(many=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "registry_number",
            "point",
            "outcome",
            "outcome_label",
            "decided_on",
            "deciding_body",
            "motivation",
            "conditions",
            "registry_reference",
            "corrects",
            "recorded_at",
            "documents",
        ]


class GapAnalysisSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    registry_number = serializers.CharField(source="case.registry_number")
    rows = serializers.IntegerField(source="row_count")
    assessed = serializers.IntegerField(source="assessed_count")
    gor_vi = serializers.IntegerField(source="done_count")
    delvis = serializers.IntegerField(source="partly_count")
    gor_vi_inte = serializers.IntegerField(source="not_done_count")
    ej_aktuellt = serializers.IntegerField(source="not_applicable_count")

    class Meta:
        model = GapAnalysis
        fields = [
            "id",
            "case",
            "registry_number",
            "rows",
            "assessed",
            "gor_vi",
            "delvis",
            "gor_vi_inte",
            "ej_aktuellt",
            "gaps_without_proposal",
            "updated_at",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(read_only=True)
    national = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    measure_label = LabelField(FollowUpIndicator, "measure")
    direction_label = LabelField(FollowUpIndicator, "direction")
    period_label = LabelField(FollowUpIndicator, "period")

    class Meta:
        model = FollowUpIndicator
        fields = [
            "id",
            "case",
            "national",
            "code",
            "name",
            "definition",
            "measure",
            "measure_label",
            "unit",
            "direction",
            "direction_label",
            "target",
            "period",
            "period_label",
        ]


class MeasurementSerializer(serializers.ModelSerializer):
    indicator = serializers.PrimaryKeyRelatedField(read_only=True)
    case = serializers.IntegerField(source="indicator.case_id")
    period = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "case",
            "period_start",
            "period",
            "numerator",
            "denominator",
            "value",
            "note",
        ]

    def get_period(self, measurement) -> str:
        """The period as the pages name it: 2025-03, 2025 K1 or 2025."""
        return measurement.indicator.label_of(measurement.period_start)


class MeasurementOfIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "period_start", "numerator", "denominator", "value", "note"]


class IndicatorDetailSerializer(IndicatorSerializer):
    measurements = MeasurementOfIndicatorSerializer(many=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "measurements"]
