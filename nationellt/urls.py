from django.urls import path

from . import views

app_name = "nationellt"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kunskapsstod/<id:pk>/", views.support_regions, name="support"),
    path("kunskapsstod/<id:pk>/kalkylblad/", views.support_export, name="support_export"),
    path(
        "kunskapsstod/<id:pk>/regioner/<id:region_pk>/",
        views.support_region,
        name="support_region",
    ),
    path("kunskapsstod/<id:pk>/mall/", views.start_from, name="start_from"),
    path("delning/", views.sharing, name="sharing"),
    path("arende/<id:pk>/nationellt-beslut/", views.national_decision, name="national_decision"),
]
