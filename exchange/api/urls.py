"""The REST API, mounted once at /api/v1/: each app's API routes, the OpenAPI
schema and its documentation pages (served from local files, no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from analytics.api_views import BalanceAPI
from integrations.api_views import ImportViewSet, WebhookViewSet
from matching.api_views import WorkerMatchesAPI
from migrants.api_views import WorkerViewSet
from selection.api_views import ApplicationViewSet
from vacancies.api_views import EmployerVacancyViewSet
from vacancies.urls import api_urlpatterns as vacancy_api

# The partner API (API keys: exchange/api/authentication.py). Ids are integers, but any path
# segment reaches the view, so a malformed id is a 404 in the API's error format
# rather than Django's HTML page.
partner = SimpleRouter()
partner.include_format_suffixes = False
for prefix, viewset, basename in (
    ("workers", WorkerViewSet, "api_worker"),
    ("imports", ImportViewSet, "api_import"),
    ("applications", ApplicationViewSet, "api_application"),
    ("webhooks", WebhookViewSet, "api_webhook"),
    ("employer/vacancies", EmployerVacancyViewSet, "api_employer_vacancy"),
):
    viewset.lookup_value_regex = r"[^/]+"
    partner.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include(vacancy_api)),
    path("open-data/balance/", BalanceAPI.as_view(), name="api_open_balance"),
    path("workers/<str:pk>/matches/", WorkerMatchesAPI.as_view(), name="api_worker_matches"),
    path("", include(partner.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
]
