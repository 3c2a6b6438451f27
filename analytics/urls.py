from django.urls import path

from analytics import views

urlpatterns = [
    path("staff/analytics/", views.dashboard, name="analytics_dashboard"),
    path("staff/analytics/charts/<slug:key>.csv", views.chart_csv, name="analytics_chart_csv"),
    path(
        "staff/analytics/balance/<slug:table>.csv",
        views.balance_csv,
        name="analytics_balance_csv",
    ),
    path("balance/", views.public_balance, name="labour_balance"),
    path("open-data/<slug:name>.<slug:fmt>", views.open_data_file, name="open_data_file"),
]
