from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("kunskapsstod", views.KnowledgeSupportViewSet, basename="support")
router.register("arenden", views.CaseViewSet, basename="case")
router.register("beslut", views.DecisionViewSet, basename="decision")
router.register("gapanalyser", views.GapAnalysisViewSet, basename="gap-analysis")
router.register("indikatorer", views.IndicatorViewSet, basename="indicator")
router.register("matvarden", views.MeasurementViewSet, basename="measurement")

urlpatterns = [
    path("", views.guide, name="guide"),
    path("nycklar/", views.tokens, name="tokens"),
    path("nycklar/<id:pk>/ta-bort/", views.token_delete, name="token_delete"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/(?P<path>.*)$", views.not_found, name="not_found"),
]
