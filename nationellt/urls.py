from django.urls import path

from . import views

app_name = "nationellt"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kunskapsstod/<int:pk>/", views.support_regions, name="support"),
    path("kunskapsstod/<int:pk>/kalkylblad/", views.support_export, name="support_export"),
    path(
        "kunskapsstod/<int:pk>/regioner/<int:region_pk>/",
        views.support_region,
        name="support_region",
    ),
    path("kunskapsstod/<int:pk>/mall/", views.start_from, name="start_from"),
    path("delning/", views.sharing, name="sharing"),
    path("arende/<int:pk>/nationellt-beslut/", views.national_decision, name="national_decision"),
]
