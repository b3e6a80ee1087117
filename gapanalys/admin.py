from django.contrib import admin

from . import services
from .models import GapAnalysis, GapRow, Statement, StatementType


@admin.register(StatementType)
class StatementTypeAdmin(admin.ModelAdmin):
    """The kinds of statement a region asks for before BP2 (kept by the region's administrator
    in the product's pages; a region without rows asks for its reference kinds)."""

    list_display = ["region", "name", "key", "required_own", "required_joint", "order"]
    list_filter = ["region"]


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["kind", "body", "author", "given_on", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(GapAnalysis)
class GapAnalysisAdmin(admin.ModelAdmin):
    list_display = ["case", "lag", "start_date", "due_date"]
    list_select_related = ["case__knowledge_support", "lag"]
    search_fields = ["case__registry_number", "case__knowledge_support__title"]
    raw_id_fields = ["case", "lag", "previous"]
    readonly_fields = [
        "version",
        "row_count",
        "assessed_count",
        "gaps_without_proposal",
        "created_at",
        "updated_at",
    ]
    inlines = [StatementInline]


@admin.register(GapRow)
class GapRowAdmin(admin.ModelAdmin):
    list_display = ["analysis", "recommendation", "current_state", "principal", "priority"]
    list_filter = ["current_state", "principal", "priority", "needs_review"]
    list_select_related = ["analysis__case", "recommendation"]
    search_fields = ["analysis__case__registry_number", "recommendation__text"]
    raw_id_fields = ["analysis", "recommendation", "carried_from", "updated_by"]
    readonly_fields = ["version", "updated_at"]

    # The analyses' progress summary is kept by the services; a row changed here is recounted.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.summary_refresh(analysis_id=obj.analysis_id)
        if change and "analysis" in form.changed_data and form.initial.get("analysis"):
            services.summary_refresh(analysis_id=form.initial["analysis"])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.summary_refresh(analysis_id=obj.analysis_id)

    def delete_queryset(self, request, queryset):
        analysis_ids = set(queryset.values_list("analysis_id", flat=True))
        super().delete_queryset(request, queryset)
        for analysis_id in analysis_ids:
            services.summary_refresh(analysis_id=analysis_id)
