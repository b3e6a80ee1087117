from django.urls import path

from . import views

urlpatterns = [
    path("arenden/<int:pk>/gapanalys/", views.analysis_table, name="gap_analysis"),
    path("arenden/<int:pk>/gapanalys/lag/", views.lag_form, name="gap_lag_form"),
    path("arenden/<int:pk>/gapanalys/uppgifter/", views.analysis_details, name="gap_details"),
    path("arenden/<int:pk>/gapanalys/yttranden/", views.statements, name="gap_statements"),
    path(
        "arenden/<int:pk>/gapanalys/yttranden/<int:statement_pk>/ta-bort/",
        views.statement_delete,
        name="gap_statement_delete",
    ),
    path("arenden/<int:pk>/gapanalys/rapport/", views.report, name="gap_report"),
    path("arenden/<int:pk>/gapanalys/excel/", views.export, name="gap_export"),
    path("arenden/<int:pk>/gapanalys/import/", views.import_upload, name="gap_import"),
    path("arenden/<int:pk>/gapanalys/skicka/", views.analysis_submit, name="gap_submit"),
    path("arenden/<int:pk>/gapanalys/bp2/", views.bp2_status, name="gap_bp2_status"),
    path("arenden/<int:pk>/gapanalys/rader/<int:row_pk>/", views.row_detail, name="gap_row"),
    path(
        "arenden/<int:pk>/gapanalys/rader/<int:row_pk>/andra/",
        views.row_edit,
        name="gap_row_edit",
    ),
]
