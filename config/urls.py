from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from organisation import oidc
from organisation import views as organisation_views

urlpatterns = [
    path("logga-in/", organisation_views.LoginView.as_view(), name="login"),
    path("logga-ut/", organisation_views.logout, name="logout"),
    path("oidc/authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("organisation/", include("organisation.urls")),
    path("session/extend/", organisation_views.session_extend, name="session_extend"),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="accessibility_statement.html"),
        name="accessibility_statement",
    ),
    path("admin/", admin.site.urls),
    # Asked for by browsers on their own (for a PDF, say), whatever the page links.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("nationellt/", include("nationellt.urls")),
    path("remisser/", include("remisser.urls")),
    path("sammantraden/", include("sammantraden.urls")),
    path("api/", include("api.urls")),
    path("arenden/<id:pk>/gapanalys/", include("gapanalys.urls")),
    path("yttranden/", include("gapanalys.region_urls")),
    path("arenden/<id:pk>/", include("implementering.urls")),
    path("uppfoljning/", include("implementering.region_urls")),
    path("", include("kunskapsstyrning.urls")),
]

if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/", include("bench.urls")))
