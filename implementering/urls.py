from django.urls import path

from . import views

P = "arenden/<int:pk>/"

urlpatterns = [
    # The implementation plan.
    path(f"{P}plan/", views.plan_detail, name="plan_detail"),
    path(f"{P}plan/starta/", views.plan_start, name="plan_start"),
    path(f"{P}plan/mal/", views.plan_goal, name="plan_goal"),
    path(f"{P}plan/aktiviteter/ny/", views.activity_edit, name="activity_create"),
    path(f"{P}plan/aktiviteter/<int:activity_pk>/", views.activity_edit, name="activity_edit"),
    path(
        f"{P}plan/aktiviteter/<int:activity_pk>/lage/",
        views.activity_progress,
        name="activity_progress",
    ),
    path(
        f"{P}plan/aktiviteter/<int:activity_pk>/ta-bort/",
        views.activity_delete,
        name="activity_delete",
    ),
    path(f"{P}plan/<slug:kind>/ny/", views.part_edit, name="part_create"),
    path(f"{P}plan/<slug:kind>/<int:part_pk>/", views.part_edit, name="part_edit"),
    path(f"{P}plan/<slug:kind>/<int:part_pk>/ta-bort/", views.part_delete, name="part_delete"),
    path(f"{P}plan/gap/<int:row_pk>/undantag/", views.gap_exclude, name="gap_exclude"),
    path(f"{P}plan/forankring/", views.plan_anchor, name="plan_anchor"),
    path(f"{P}plan/historik/", views.plan_history, name="plan_history"),
    # The BP3 checklist.
    path(f"{P}checklista/", views.checklist, name="checklist"),
    path(f"{P}checklista/<int:item_pk>/", views.checklist_tick, name="checklist_tick"),
    # Follow-up.
    path(f"{P}uppfoljning/", views.followup, name="followup"),
    path(f"{P}uppfoljning/import/", views.measurements_import, name="measurements_import"),
    path(f"{P}uppfoljning/rapport/", views.followup_report, name="followup_report"),
    path(f"{P}uppfoljning/planera-om/", views.followup_replan, name="followup_replan"),
    path(f"{P}uppfoljning/indikatorer/ny/", views.indicator_edit, name="indicator_create"),
    path(
        f"{P}uppfoljning/indikatorer/nationell/",
        views.indicator_national,
        name="indicator_national",
    ),
    path(
        f"{P}uppfoljning/indikatorer/<int:indicator_pk>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
    path(
        f"{P}uppfoljning/indikatorer/<int:indicator_pk>/andra/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        f"{P}uppfoljning/indikatorer/<int:indicator_pk>/ta-bort/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        f"{P}uppfoljning/indikatorer/<int:indicator_pk>/matvarden/<int:measurement_pk>/ta-bort/",
        views.measurement_delete,
        name="measurement_delete",
    ),
    path(f"{P}uppfoljning/pdsa/ny/", views.cycle_edit, name="cycle_create"),
    path(f"{P}uppfoljning/pdsa/<int:cycle_pk>/", views.cycle_edit, name="cycle_edit"),
]
