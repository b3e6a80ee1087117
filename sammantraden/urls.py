from django.urls import path

from . import views

app_name = "sammantraden"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("nytt/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/arenden/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/arenden/<int:item_pk>/ta-bort/", views.meeting_remove, name="meeting_remove"),
    path("<int:pk>/arenden/<int:item_pk>/beslut/", views.meeting_decide, name="meeting_decide"),
    path("<int:pk>/avsluta/", views.meeting_close, name="meeting_close"),
    path("<int:pk>/dagordning.pdf", views.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("<int:pk>/protokollsutdrag.pdf", views.meeting_protocol_pdf, name="meeting_protocol_pdf"),
]
