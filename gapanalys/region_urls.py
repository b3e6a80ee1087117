from django.urls import path

from . import region_views

app_name = "yttranden"

urlpatterns = [
    path("region/<id:pk>/", region_views.statement_types, name="statement_types"),
    path("region/<id:pk>/ny/", region_views.statement_type_edit, name="statement_type_create"),
    path(
        "region/<id:pk>/<slug:key>/", region_views.statement_type_edit, name="statement_type_edit"
    ),
]
