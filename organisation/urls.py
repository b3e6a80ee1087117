from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("", views.org_index, name="org_index"),
    path("regioner/<int:pk>/", views.org_region, name="org_region"),
    path("regioner/<int:pk>/ny-enhet/", views.org_unit_create, name="org_unit_create"),
    path("regioner/<int:pk>/personer/", views.org_people, name="org_people"),
    path("regioner/<int:pk>/import/", views.org_import, name="org_import"),
    path("regioner/<int:pk>/historik/", views.org_history, name="org_history"),
    path("enheter/<int:pk>/", views.org_unit, name="org_unit"),
    path("personer/<int:pk>/", views.org_person, name="org_person"),
    path("personer/<int:pk>/andra/", views.org_person_edit, name="org_person_edit"),
    path("uppdrag/<int:pk>/avsluta/", views.org_role_end, name="org_role_end"),
]
