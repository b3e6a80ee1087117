from django.urls import path

from . import views

urlpatterns = [
    path("r0/", views.r0, name="bench_r0"),
    path("r1/<id:pk>/", views.r1, name="bench_r1"),
]
