from django.urls import path

from . import views

app_name = "remisser"

urlpatterns = [
    path("", views.remiss_list, name="remiss_list"),
    path("ny/", views.remiss_register, name="remiss_register"),
    path("<int:pk>/", views.remiss_detail, name="remiss_detail"),
    path("<int:pk>/bilagor/", views.attachments_add, name="remiss_attachments_add"),
    path(
        "<int:pk>/bilagor/<int:attachment_pk>/",
        views.attachment_download,
        name="remiss_attachment",
    ),
    path("<int:pk>/kommunerna/", views.remiss_assess, name="remiss_assess"),
    path("<int:pk>/skicka-ut/", views.remiss_distribute, name="remiss_distribute"),
    path("<int:pk>/svar/<int:response_pk>/", views.remiss_answer, name="remiss_answer"),
    path(
        "<int:pk>/svar/<int:response_pk>/sakkunniga/",
        views.expert_invite,
        name="remiss_expert_invite",
    ),
    path(
        "<int:pk>/svar/<int:response_pk>/sakkunniga/<int:access_pk>/ta-bort/",
        views.expert_revoke,
        name="remiss_expert_revoke",
    ),
    path(
        "<int:pk>/svar/<int:response_pk>/synpunkter/",
        views.chair_comment_add,
        name="remiss_chair_comment",
    ),
    path("<int:pk>/synpunkter/", views.remiss_comments, name="remiss_comments"),
    path(
        "<int:pk>/synpunkter/<int:comment_pk>/ta-bort/",
        views.comment_delete,
        name="remiss_comment_delete",
    ),
    path("<int:pk>/sammanstall/", views.remiss_compile, name="remiss_compile"),
    path("<int:pk>/utkast.pdf", views.remiss_answer_preview, name="remiss_answer_preview"),
    path("<int:pk>/skicka-svar/", views.remiss_send, name="remiss_send"),
    path("<int:pk>/avsta/", views.remiss_decline, name="remiss_decline"),
]
