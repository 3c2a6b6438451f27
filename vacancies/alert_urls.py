"""URLs of the job alerts (saved searches), namespaced "alerts"."""

from django.urls import path

from vacancies import alert_views

app_name = "alerts"

urlpatterns = [
    path("alerts/", alert_views.saved_searches, name="saved_searches"),
    path("alerts/save/", alert_views.save_search, name="save_search"),
    path("alerts/<int:pk>/delete/", alert_views.delete_search, name="delete_search"),
]
