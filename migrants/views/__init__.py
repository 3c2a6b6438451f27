"""Views of the migrant registry: the worker's pages, the agency's, the administrators'.

Every profile is looked up through `MigrantProfile.objects.visible_to(user)`, so a
foreign one is a 404.

`common.py` holds the steps and the lookups every page shares, `registration.py` the
worker's way in, `profile.py` the profile in steps, `uploads.py` the documents,
`privacy.py` export and erasure, `agency.py` the agencies' pages, `staff.py` the
administrators'. The URL map names every view as `migrants.views.<name>`.
"""

from migrants.views.agency import (
    agency_access_request,
    agency_send_claim_code,
    agency_worker,
    agency_worker_new,
    agency_workers,
)
from migrants.views.common import STEP_NAMES, STEPS
from migrants.views.privacy import erasure, export
from migrants.views.profile import STEP_FORMS, history, profile_step, submit
from migrants.views.registration import claim, consent, dashboard, register
from migrants.views.staff import (
    staff_access_request,
    staff_document_review,
    staff_duplicate,
    staff_erasure,
    staff_profile,
    staff_queues,
)
from migrants.views.uploads import document_delete, document_file, documents

__all__ = [
    "STEPS",
    "STEP_FORMS",
    "STEP_NAMES",
    "agency_access_request",
    "agency_send_claim_code",
    "agency_worker",
    "agency_worker_new",
    "agency_workers",
    "claim",
    "consent",
    "dashboard",
    "document_delete",
    "document_file",
    "documents",
    "erasure",
    "export",
    "history",
    "profile_step",
    "register",
    "staff_access_request",
    "staff_document_review",
    "staff_duplicate",
    "staff_erasure",
    "staff_profile",
    "staff_queues",
    "submit",
]
