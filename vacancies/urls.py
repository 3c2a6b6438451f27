from django.urls import path

from vacancies import api_views, views

urlpatterns = [
    path("vacancies/", views.vacancy_search, name="vacancy_search"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("employer/vacancies/", views.employer_vacancies, name="employer_vacancies"),
    path("employer/vacancies/new/", views.vacancy_edit, name="vacancy_create"),
    path("employer/vacancies/<int:pk>/", views.vacancy_manage, name="vacancy_manage"),
    path("employer/vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("employer/vacancies/<int:pk>/submit/", views.vacancy_submit, name="vacancy_submit"),
    path("employer/vacancies/<int:pk>/withdraw/", views.vacancy_withdraw, name="vacancy_withdraw"),
    path("employer/vacancies/<int:pk>/close/", views.vacancy_close, name="vacancy_close"),
    path(
        "employer/vacancies/<int:pk>/duplicate/", views.vacancy_duplicate, name="vacancy_duplicate"
    ),
    path(
        "employer/vacancies/<int:pk>/positions/", views.vacancy_positions, name="vacancy_positions"
    ),
    path("staff/vacancies/", views.moderation_queue, name="moderation_queue"),
    path("staff/vacancies/<int:pk>/", views.moderation_review, name="moderation_review"),
]

# Mounted under /api/v1/ by exchange/api.py.
api_urlpatterns = [
    path("vacancies/", api_views.VacancyListAPI.as_view(), name="api_vacancy_list"),
    path("vacancies/<str:pk>/", api_views.VacancyDetailAPI.as_view(), name="api_vacancy_detail"),
]
