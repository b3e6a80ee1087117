from django.urls import path

from . import views
from .documents import VERIFY_PATH

app_name = "kunskapsstyrning"

urlpatterns = [
    path("", views.home, name="home"),
    path("meddelanden/", views.notification_list, name="notification_list"),
    path("meddelanden/lasta/", views.notifications_read_all, name="notifications_read_all"),
    path("meddelanden/<int:pk>/", views.notification_open, name="notification_open"),
    path("meddelanden/<int:pk>/last/", views.notification_read, name="notification_read"),
    path("tavla/", views.board, name="board"),
    path("sok/", views.search, name="search"),
    path("arenden/", views.case_list, name="case_list"),
    path("arenden/nytt/", views.case_register, name="case_register"),
    path("arenden/<int:pk>/", views.case_detail, name="case_detail"),
    path("arenden/<int:pk>/prioritering/", views.prioritisation_edit, name="prioritisation_edit"),
    path("arenden/<int:pk>/beslut/", views.case_decide, name="case_decide"),
    path("arenden/<int:pk>/beslut/del/<slug:part>/", views.case_decide, name="case_decide_part"),
    path("arenden/<int:pk>/beslut/forslag/", views.proposal_record, name="proposal_record"),
    path("arenden/<int:pk>/beslut/information/", views.notice_record, name="notice_record"),
    path("regioner/<int:pk>/beslutsordning/", views.decision_orders, name="decision_orders"),
    path(
        "regioner/<int:pk>/beslutsordning/<str:point>/<slug:kind>/",
        views.decision_order_edit,
        name="decision_order_edit",
    ),
    path(
        "arenden/<int:pk>/beslut/<int:decision_pk>/ratta/",
        views.decision_correct,
        name="decision_correct",
    ),
    path(
        "arenden/<int:pk>/delbeslut/<int:part_pk>/ratta/",
        views.decision_part_correct,
        name="decision_part_correct",
    ),
    path(
        "arenden/<int:pk>/delbeslut/<int:part_pk>/ansluter/",
        views.municipality_accede,
        name="municipality_accede",
    ),
    path("arenden/<int:pk>/ny-version/", views.case_supersede, name="case_supersede"),
    path("arenden/<int:pk>/tidsgrans/", views.case_deadline, name="case_deadline"),
    path("arenden/<int:pk>/atgard/<slug:action>/", views.case_action, name="case_action"),
    path("arenden/<int:pk>/dokument/", views.document_status, name="document_status"),
    path(
        "arenden/<int:pk>/dokument/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "arenden/<int:pk>/dokument/<int:document_pk>/ny/",
        views.document_rerequest,
        name="document_rerequest",
    ),
    path(VERIFY_PATH, views.document_verify, name="document_verify"),
    path("beslut/", views.awaiting_decision, name="awaiting_decision"),
    path("kunskapsstod/", views.support_list, name="support_list"),
    path("kunskapsstod/nytt/", views.support_edit, name="support_create"),
    path("kunskapsstod/<int:pk>/", views.support_detail, name="support_detail"),
    path("kunskapsstod/<int:pk>/andra/", views.support_edit, name="support_edit"),
    path(
        "kunskapsstod/<int:pk>/import/", views.recommendations_import, name="recommendations_import"
    ),
]
