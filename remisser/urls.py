from django.urls import path

from . import views

app_name = "remisser"

urlpatterns = [
    path("", views.remiss_list, name="remiss_list"),
    path("ny/", views.remiss_register, name="remiss_register"),
    path("<id:pk>/", views.remiss_detail, name="remiss_detail"),
    path("<id:pk>/bilagor/", views.attachments_add, name="remiss_attachments_add"),
    path(
        "<id:pk>/bilagor/<id:attachment_pk>/",
        views.attachment_download,
        name="remiss_attachment",
    ),
    path("<id:pk>/kommunerna/", views.remiss_assess, name="remiss_assess"),
    path("<id:pk>/skicka-ut/", views.remiss_distribute, name="remiss_distribute"),
    path("<id:pk>/svar/<id:response_pk>/", views.remiss_answer, name="remiss_answer"),
    path(
        "<id:pk>/svar/<id:response_pk>/sakkunniga/",
        views.expert_invite,
        name="remiss_expert_invite",
    ),
    path(
        "<id:pk>/svar/<id:response_pk>/sakkunniga/<id:access_pk>/ta-bort/",
        views.expert_revoke,
        name="remiss_expert_revoke",
    ),
    path(
        "<id:pk>/svar/<id:response_pk>/synpunkter/",
        views.chair_comment_add,
        name="remiss_chair_comment",
    ),
    path("<id:pk>/synpunkter/", views.remiss_comments, name="remiss_comments"),
    path(
        "<id:pk>/synpunkter/<id:comment_pk>/ta-bort/",
        views.comment_delete,
        name="remiss_comment_delete",
    ),
    path("<id:pk>/sammanstall/", views.remiss_compile, name="remiss_compile"),
    path("<id:pk>/utkast.pdf", views.remiss_answer_preview, name="remiss_answer_preview"),
    path("<id:pk>/skicka-svar/", views.remiss_send, name="remiss_send"),
    path("<id:pk>/avsta/", views.remiss_decline, name="remiss_decline"),
]
