from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kunskapsstyrning.admin import ReadOnlyAdmin  # plans change through the services only
from organisation.models import Region

from .models import (
    DEFAULT_CHECKLIST,
    ChecklistTemplateItem,
    FollowUpIndicator,
    ImplementationPlan,
    RegionReport,
)


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    """The region's BP3 checklist: configuration. A region without rows uses the default set;
    a case's checklist copies the rows when its plan starts."""

    list_display = ["region", "position", "text", "requirement"]
    list_display_links = ["text"]
    list_editable = ["position"]
    list_filter = ["region"]
    actions = ["copy_default_set"]

    @admin.action(description=_("Lägg in standardlistan för de valda punkternas regioner"))
    def copy_default_set(self, request, queryset):
        self._copy_default(request, {item.region_id for item in queryset})

    def _copy_default(self, request, region_ids):
        for region in Region.objects.filter(pk__in=region_ids):
            start = region.bp3_checklist_items.count()
            ChecklistTemplateItem.objects.bulk_create(
                ChecklistTemplateItem(
                    region=region, position=start + index, text=str(text), requirement=requirement
                )
                for index, (text, requirement) in enumerate(DEFAULT_CHECKLIST, start=1)
            )
            messages.success(request, _("Standardlistan lades till för %(r)s.") % {"r": region})


@admin.register(ImplementationPlan)
class ImplementationPlanAdmin(ReadOnlyAdmin):
    list_display = ["case", "anchored_on", "anchored_by", "changed_at"]
    search_fields = ["case__registry_number", "case__knowledge_support__title"]


@admin.register(FollowUpIndicator)
class FollowUpIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["case", "code", "name", "measure", "period"]
    search_fields = ["code", "name", "case__registry_number"]


@admin.register(RegionReport)
class RegionReportAdmin(ReadOnlyAdmin):
    """The region-wide follow-up reports made in the background: which are not ready, and why."""

    list_display = ["region", "period_start", "period_end", "status", "requested_at", "pages"]
    list_filter = ["status", "region"]
    fields = [
        "region",
        "period_start",
        "period_end",
        "requested_by",
        "requested_at",
        "status",
        "attempts",
        "cases_done",
        "cases_total",
        "pages",
        "finished_at",
        "failure_reason",
    ]
