"""URL map of the whole exchange. Each app adds its own urls.py here as it grows."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from exchange import pickers, views

account_urls = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", views.profile, name="profile"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.switch_language, name="switch_language"),
    *account_urls,
    path("employer/organization/", views.employer_organization, name="employer_organization"),
    path(
        "employer/organization/new/",
        views.employer_organization_new,
        name="employer_organization_new",
    ),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("agency/", views.agency_home, name="agency_home"),
    path("staff/employers/", views.staff_employers, name="staff_employers"),
    path("staff/employers/<int:pk>/", views.staff_employer_review, name="staff_employer_review"),
    path("pickers/occupations/", pickers.occupation_options, name="occupation_options"),
    path("pickers/skills/", pickers.skill_options, name="skill_options"),
    path("", include("vacancies.urls")),
    path("", include("vacancies.alert_urls")),
    path("", include("matching.urls")),
    path("", include("selection.urls")),
    path("", include("migrants.urls")),
    path("", include("notifications.urls")),
    path("", include("analytics.urls")),
    path("", include("integrations.urls")),
    path("api/v1/", include("exchange.api.urls")),
    path("admin/", admin.site.urls),
]

# API paths answer 404 as problem details (exchange/api/problems.py).
handler404 = "exchange.api.problems.not_found"
