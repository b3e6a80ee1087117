from django.contrib import admin

from .models import RegionSharing


@admin.register(RegionSharing)
class RegionSharingAdmin(admin.ModelAdmin):
    list_display = ["region", "share_analysis", "share_plan", "share_indicators", "public"]
    readonly_fields = ["changed_by", "changed_at"]
