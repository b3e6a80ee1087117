from django.urls import path

from . import region_views

app_name = "uppfoljning"

urlpatterns = [
    path("", region_views.report_start, name="region_report_start"),
    path("region/<id:region_id>/", region_views.region_report, name="region_report"),
    path("region/<id:region_id>/pdf/", region_views.region_report_pdf, name="region_report_pdf"),
    path(
        "region/<id:region_id>/kalkylblad/",
        region_views.region_report_xlsx,
        name="region_report_xlsx",
    ),
    path(
        "region/<id:region_id>/skapa/",
        region_views.region_report_request,
        name="region_report_request",
    ),
    path("rapporter/<id:report_id>/", region_views.report_status, name="report_status"),
    path("forsenade-aktiviteter/", region_views.overdue_activities, name="overdue_activities"),
    path("rapporter/<id:report_id>/<slug:kind>/", region_views.report_file, name="report_file"),
]
