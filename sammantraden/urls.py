from django.urls import path

from . import views

app_name = "sammantraden"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("nytt/", views.meeting_create, name="meeting_create"),
    path("<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<id:pk>/arenden/", views.meeting_add, name="meeting_add"),
    path("<id:pk>/arenden/<id:item_pk>/ta-bort/", views.meeting_remove, name="meeting_remove"),
    path("<id:pk>/arenden/<id:item_pk>/beslut/", views.meeting_decide, name="meeting_decide"),
    path("<id:pk>/avsluta/", views.meeting_close, name="meeting_close"),
    path("<id:pk>/dagordning.pdf", views.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("<id:pk>/protokollsutdrag.pdf", views.meeting_protocol_pdf, name="meeting_protocol_pdf"),
]
