from django.urls import path

from . import views

app_name = "gapanalys"

urlpatterns = [
    path("", views.analysis_table, name="gap_analysis"),
    path("lag/", views.lag_form, name="gap_lag_form"),
    path("uppgifter/", views.analysis_details, name="gap_details"),
    path("yttranden/", views.statements, name="gap_statements"),
    path(
        "yttranden/<id:statement_pk>/ta-bort/",
        views.statement_delete,
        name="gap_statement_delete",
    ),
    path("rapport/", views.report, name="gap_report"),
    path("excel/", views.export, name="gap_export"),
    path("import/", views.import_upload, name="gap_import"),
    path("skicka/", views.analysis_submit, name="gap_submit"),
    path("bp2/", views.bp2_status, name="gap_bp2_status"),
    path("rader/<id:row_pk>/", views.row_detail, name="gap_row"),
    path(
        "rader/<id:row_pk>/andra/",
        views.row_edit,
        name="gap_row_edit",
    ),
]
