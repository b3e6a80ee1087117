from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from organisation import views as organisation_views

urlpatterns = [
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/extend/", organisation_views.session_extend, name="session_extend"),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="accessibility_statement.html"),
        name="accessibility_statement",
    ),
    path("admin/", admin.site.urls),
    path("remisser/", include("remisser.urls")),
    path("", include("gapanalys.urls")),
    path("", include("implementering.urls")),
    path("", include("kunskapsstyrning.urls")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/", include("bench.urls")))
