from django.urls import path

from . import views

app_name = "implementering"

urlpatterns = [
    # The implementation plan.
    path("plan/", views.plan_detail, name="plan_detail"),
    path("plan/starta/", views.plan_start, name="plan_start"),
    path("plan/mal/", views.plan_goal, name="plan_goal"),
    path("plan/aktiviteter/ny/", views.activity_edit, name="activity_create"),
    path("plan/aktiviteter/<id:activity_pk>/", views.activity_edit, name="activity_edit"),
    path(
        "plan/aktiviteter/<id:activity_pk>/lage/",
        views.activity_progress,
        name="activity_progress",
    ),
    path(
        "plan/aktiviteter/<id:activity_pk>/ta-bort/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("plan/<slug:kind>/ny/", views.part_edit, name="part_create"),
    path("plan/<slug:kind>/<id:part_pk>/", views.part_edit, name="part_edit"),
    path("plan/<slug:kind>/<id:part_pk>/ta-bort/", views.part_delete, name="part_delete"),
    path("plan/gap/<id:row_pk>/undantag/", views.gap_exclude, name="gap_exclude"),
    path("plan/forankring/", views.plan_anchor, name="plan_anchor"),
    path("plan/historik/", views.plan_history, name="plan_history"),
    # The BP3 checklist.
    path("checklista/", views.checklist, name="checklist"),
    path("checklista/<id:item_pk>/", views.checklist_tick, name="checklist_tick"),
    # Follow-up.
    path("uppfoljning/", views.followup, name="followup"),
    path("uppfoljning/import/", views.measurements_import, name="measurements_import"),
    path("uppfoljning/import/mall.csv", views.measurements_template, name="measurements_template"),
    path("uppfoljning/rapport/", views.followup_report, name="followup_report"),
    path("uppfoljning/planera-om/", views.followup_replan, name="followup_replan"),
    path("uppfoljning/indikatorer/ny/", views.indicator_edit, name="indicator_create"),
    path(
        "uppfoljning/indikatorer/nationell/",
        views.indicator_national,
        name="indicator_national",
    ),
    path(
        "uppfoljning/indikatorer/<id:indicator_pk>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "uppfoljning/indikatorer/<id:indicator_pk>/andra/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "uppfoljning/indikatorer/<id:indicator_pk>/ta-bort/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "uppfoljning/indikatorer/<id:indicator_pk>/matvarden/<id:measurement_pk>/ta-bort/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path("uppfoljning/pdsa/ny/", views.cycle_edit, name="cycle_create"),
    path("uppfoljning/pdsa/<id:cycle_pk>/", views.cycle_edit, name="cycle_edit"),
]
