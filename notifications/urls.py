from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.open_notification, name="open"),
    path("inbox/read-all/", views.read_all, name="read_all"),
    path("alerts/", views.saved_searches, name="saved_searches"),
    path("alerts/save/", views.save_search, name="save_search"),
    path("alerts/<int:pk>/delete/", views.delete_search, name="delete_search"),
]
