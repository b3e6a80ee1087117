from django.urls import path

from . import views
from .documents import VERIFY_PATH

app_name = "kunskapsstyrning"

urlpatterns = [
    path("", views.home, name="home"),
    path("meddelanden/", views.notification_list, name="notification_list"),
    path("meddelanden/lasta/", views.notifications_read_all, name="notifications_read_all"),
    path("meddelanden/<id:pk>/", views.notification_open, name="notification_open"),
    path("meddelanden/<id:pk>/last/", views.notification_read, name="notification_read"),
    path("tavla/", views.board, name="board"),
    path("sok/", views.search, name="search"),
    path("arenden/", views.case_list, name="case_list"),
    path("arenden/nytt/", views.case_register, name="case_register"),
    path("arenden/<id:pk>/", views.case_detail, name="case_detail"),
    path("arenden/<id:pk>/prioritering/", views.prioritisation_edit, name="prioritisation_edit"),
    path("arenden/<id:pk>/beslut/", views.case_decide, name="case_decide"),
    path("arenden/<id:pk>/beslut/del/<slug:part>/", views.case_decide, name="case_decide_part"),
    path("arenden/<id:pk>/beslut/forslag/", views.proposal_record, name="proposal_record"),
    path("arenden/<id:pk>/beslut/information/", views.notice_record, name="notice_record"),
    path("regioner/<id:pk>/beslutsordning/", views.decision_orders, name="decision_orders"),
    path(
        "regioner/<id:pk>/beslutsordning/<str:point>/<slug:kind>/",
        views.decision_order_edit,
        name="decision_order_edit",
    ),
    path(
        "arenden/<id:pk>/beslut/<id:decision_pk>/ratta/",
        views.decision_correct,
        name="decision_correct",
    ),
    path(
        "arenden/<id:pk>/delbeslut/<id:part_pk>/ratta/",
        views.decision_part_correct,
        name="decision_part_correct",
    ),
    path(
        "arenden/<id:pk>/delbeslut/<id:part_pk>/ansluter/",
        views.municipality_accede,
        name="municipality_accede",
    ),
    path("arenden/<id:pk>/ny-version/", views.case_supersede, name="case_supersede"),
    path("arenden/<id:pk>/tidsgrans/", views.case_deadline, name="case_deadline"),
    path("arenden/<id:pk>/atgard/<slug:action>/", views.case_action, name="case_action"),
    path("arenden/<id:pk>/dokument/", views.document_status, name="document_status"),
    path(
        "arenden/<id:pk>/dokument/<id:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "arenden/<id:pk>/dokument/<id:document_pk>/ny/",
        views.document_rerequest,
        name="document_rerequest",
    ),
    path(VERIFY_PATH, views.document_verify, name="document_verify"),
    path("beslut/", views.awaiting_decision, name="awaiting_decision"),
    path("kunskapsstod/", views.support_list, name="support_list"),
    path("kunskapsstod/nytt/", views.support_edit, name="support_create"),
    path("kunskapsstod/<id:pk>/", views.support_detail, name="support_detail"),
    path("kunskapsstod/<id:pk>/andra/", views.support_edit, name="support_edit"),
    path(
        "kunskapsstod/<id:pk>/import/", views.recommendations_import, name="recommendations_import"
    ),
]
