from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("integrations/keys/", views.api_keys, name="api_keys"),
    path("integrations/keys/<int:pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path("integrations/webhooks/", views.webhook_list, name="webhooks"),
    path("integrations/webhooks/<int:pk>/", views.webhook_detail, name="webhook_detail"),
    path(
        "integrations/webhooks/<int:pk>/<slug:verb>/",
        views.webhook_action,
        name="webhook_action",
    ),
    path(
        "integrations/webhooks/<int:pk>/deliveries/<int:delivery_id>/replay/",
        views.webhook_replay,
        name="webhook_replay",
    ),
    path("staff/api-keys/", views.staff_api_keys, name="staff_api_keys"),
    path(
        "staff/api-keys/<int:pk>/revoke/",
        views.staff_api_key_revoke,
        name="staff_api_key_revoke",
    ),
]
