from django.urls import path

from matching import views

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
]
