from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    HealthcareRegion,
    Membership,
    MunicipalAssociation,
    Municipality,
    ProgrammeArea,
    Region,
    Unit,
    User,
)

admin.site.site_header = "Kunskapsstyrning – administration"
admin.site.site_title = "Kunskapsstyrning"
# Administrators keep the organisation in the product's own pages (/organisation/); Django's
# admin is kept for superusers' maintenance only.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser


class AutocompleteWithRegions(AutocompleteJsonView):
    """Search-as-you-type names every unit with its region: two regions each have an
    "LPO Psykisk hälsa", and choosing the wrong one gives access in the wrong region."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Unit):
            result["text"] = services.unit_label(obj)
        return result


admin.site.autocomplete_view = lambda request: AutocompleteWithRegions.as_view(
    admin_site=admin.site
)(request)


@admin.register(HealthcareRegion)
class HealthcareRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "short_code", "healthcare_region"]
    list_filter = ["healthcare_region"]
    search_fields = ["name", "code", "short_code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region__healthcare_region", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]


@admin.register(MunicipalAssociation)
class MunicipalAssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    search_fields = ["name", "code"]
    filter_horizontal = ["municipalities"]


@admin.register(ProgrammeArea)
class ProgrammeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "host"]
    list_filter = ["host"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    # Read-only here: say where roles are given and ended instead.
    verbose_name_plural = _("Uppdrag (ges och avslutas under Organisation i produkten)")
    autocomplete_fields = ["user"]
    fields = ["user", "role", "start_date", "end_date"]
    # Memberships change permissions, so they are edited through MembershipAdmin's service.
    can_delete = False
    readonly_fields = ["user", "role", "start_date", "end_date"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin, GuardedModelAdmin):
    list_display = [
        "name",
        "kind",
        "code",
        "region",
        "parent",
        "municipalities_participate",
        "active",
    ]
    list_filter = ["kind", "region", "healthcare_region", "municipalities_participate", "active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "programme_area"]
    list_select_related = ["region", "parent"]
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete's labels name each unit's region (AutocompleteWithRegions).
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("region"), may_have_duplicates


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "title", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Arbete"), {"fields": ["hsa_id", "title", "organisation_name", "municipality"]}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit", "start_date", "end_date"]
    list_filter = ["role", "unit__kind", "unit__region"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        previous = (
            Membership.objects.select_related("user", "unit").get(pk=obj.pk) if change else None
        )
        try:
            services.membership_save(
                membership=obj,
                previous_unit=previous.unit if previous else None,
                previous_user=previous.user if previous else None,
            )
        except ValidationError as exc:  # the form validated the same rules; a race lost here.
            messages.error(request, "; ".join(exc.messages))

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_delete(membership=membership)
