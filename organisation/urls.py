from django.urls import path  # noqa: F401 (the organisation pages follow)

urlpatterns = []
