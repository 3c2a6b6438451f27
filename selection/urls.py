from django.urls import path

from selection import views

urlpatterns = [
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("worker/applications/", views.worker_applications, name="worker_applications"),
    path("vacancies/<int:pk>/apply/", views.vacancy_apply, name="vacancy_apply"),
    path("staff/selection/", views.review_queue, name="staff_review_queue"),
    path(
        "staff/selection/approve/",
        views.review_bulk_approve,
        name="staff_review_bulk_approve",
    ),
    path(
        "staff/selection/shortlists/",
        views.review_propose_shortlists,
        name="staff_propose_shortlists",
    ),
    path("staff/selection/<int:pk>/", views.review_detail, name="staff_review_detail"),
    path("staff/audit/", views.audit, name="staff_audit"),
    path("employer/candidates/", views.employer_applicants, name="employer_applicants"),
    path(
        "employer/vacancies/<int:pk>/applicants/",
        views.vacancy_applicants,
        name="employer_vacancy_applicants",
    ),
    path(
        "employer/applications/<int:pk>/offer/",
        views.send_offer,
        name="employer_send_offer",
    ),
    path("agency/applications/", views.agency_applications, name="agency_applications"),
    path(
        "agency/vacancies/<int:pk>/propose/",
        views.agency_propose,
        name="agency_propose",
    ),
]
