"""URLs of the migrant registry: /worker/ (the worker), /agency/workers/ (partner
agencies), /staff/registry/ (administrators), /documents/ (the file view)."""

from django.urls import path

from migrants import views

app_name = "migrants"

urlpatterns = [
    # The worker
    path("worker/register/", views.register, name="register"),
    path("worker/consent/", views.consent, name="consent"),
    path("worker/", views.dashboard, name="dashboard"),
    path("worker/profile/<slug:step>/", views.profile_step, name="profile_step"),
    path("worker/submit/", views.submit, name="submit"),
    path("worker/history/", views.history, name="history"),
    path("worker/documents/", views.documents, name="documents"),
    path("worker/export/", views.export, name="export"),
    path("worker/erasure/", views.erasure, name="erasure"),
    path("worker/claim/", views.claim, name="claim"),
    # Documents, for whoever is entitled
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
    # Partner agencies
    path("agency/workers/", views.agency_workers, name="agency_workers"),
    path("agency/workers/new/", views.agency_worker_new, name="agency_worker_new"),
    path("agency/workers/access/", views.agency_access_request, name="agency_access_request"),
    path("agency/workers/<int:pk>/", views.agency_worker, name="agency_worker"),
    path(
        "agency/workers/<int:pk>/profile/<slug:step>/",
        views.profile_step,
        name="agency_profile_step",
    ),
    path("agency/workers/<int:pk>/submit/", views.submit, name="agency_submit"),
    path("agency/workers/<int:pk>/history/", views.history, name="agency_history"),
    path("agency/workers/<int:pk>/documents/", views.documents, name="agency_documents"),
    path(
        "agency/workers/<int:pk>/claim-code/",
        views.agency_send_claim_code,
        name="agency_send_claim_code",
    ),
    # Administrators
    path("staff/registry/", views.staff_queues, name="staff_queues"),
    path("staff/registry/workers/<int:pk>/", views.staff_profile, name="staff_profile"),
    path(
        "staff/registry/documents/<int:pk>/",
        views.staff_document_review,
        name="staff_document_review",
    ),
    path("staff/registry/duplicates/<int:pk>/", views.staff_duplicate, name="staff_duplicate"),
    path("staff/registry/erasures/<int:pk>/", views.staff_erasure, name="staff_erasure"),
    path(
        "staff/registry/access-requests/<int:pk>/",
        views.staff_access_request,
        name="staff_access_request",
    ),
]
