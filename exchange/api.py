"""The REST API, mounted once at /api/v1/: each app's API routes, the OpenAPI
schema and its documentation pages (served from local files, no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from exchange.analytics.api_views import BalanceAPI
from vacancies.urls import api_urlpatterns as vacancy_api

urlpatterns = [
    path("", include(vacancy_api)),
    path("open-data/balance/", BalanceAPI.as_view(), name="api_open_balance"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
]
