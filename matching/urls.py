from django.urls import path

from matching import selection_views, views

urlpatterns = [
    path("worker/jobs/", views.jobs_for_worker, name="jobs_for_worker"),
    path("staff/matching/", views.staff_matching, name="staff_matching"),
    path("staff/matching/rematch/", views.staff_rematch, name="staff_rematch"),
    path("staff/matching/workers/<int:pk>/", views.jobs_for_worker, name="staff_jobs_for_worker"),
    path(
        "employer/vacancies/<int:pk>/candidates/",
        views.candidates_for_vacancy,
        name="vacancy_candidates",
    ),
    path(
        "staff/vacancies/<int:pk>/candidates/",
        views.candidates_for_vacancy,
        name="staff_vacancy_candidates",
    ),
    # Selection
    path(
        "applications/<int:pk>/<slug:action>/",
        selection_views.application_action,
        name="application_action",
    ),
    path("worker/applications/", selection_views.worker_applications, name="worker_applications"),
    path("vacancies/<int:pk>/apply/", selection_views.vacancy_apply, name="vacancy_apply"),
    path("staff/selection/", selection_views.review_queue, name="staff_review_queue"),
    path(
        "staff/selection/approve/",
        selection_views.review_bulk_approve,
        name="staff_review_bulk_approve",
    ),
    path(
        "staff/selection/shortlists/",
        selection_views.review_propose_shortlists,
        name="staff_propose_shortlists",
    ),
    path("staff/selection/<int:pk>/", selection_views.review_detail, name="staff_review_detail"),
    path("staff/audit/", selection_views.audit, name="staff_audit"),
    path("employer/candidates/", selection_views.employer_applicants, name="employer_applicants"),
    path(
        "employer/vacancies/<int:pk>/applicants/",
        selection_views.vacancy_applicants,
        name="employer_vacancy_applicants",
    ),
    path(
        "employer/applications/<int:pk>/offer/",
        selection_views.send_offer,
        name="employer_send_offer",
    ),
    path("agency/applications/", selection_views.agency_applications, name="agency_applications"),
    path(
        "agency/vacancies/<int:pk>/propose/",
        selection_views.agency_propose,
        name="agency_propose",
    ),
]
