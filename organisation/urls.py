from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("", views.org_index, name="org_index"),
    path("regioner/<id:pk>/", views.org_region, name="org_region"),
    path("regioner/<id:pk>/ny-enhet/", views.org_unit_create, name="org_unit_create"),
    path("regioner/<id:pk>/personer/", views.org_people, name="org_people"),
    path("regioner/<id:pk>/import/", views.org_import, name="org_import"),
    path("regioner/<id:pk>/historik/", views.org_history, name="org_history"),
    path("enheter/<id:pk>/", views.org_unit, name="org_unit"),
    path("personer/<id:pk>/", views.org_person, name="org_person"),
    path("personer/<id:pk>/andra/", views.org_person_edit, name="org_person_edit"),
    path("uppdrag/<id:pk>/avsluta/", views.org_role_end, name="org_role_end"),
]
