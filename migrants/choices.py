"""Fixed choice lists of the migrant registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class NotificationChannel(models.TextChoices):
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("E-mail")


class DrivingCategory(models.TextChoices):
    """Russian driving licence categories (the national licences of the CIS use the same)."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    BE = "BE", "BE"
    CE = "CE", "CE"
    DE = "DE", "DE"
    M = "M", "M"
    TM = "Tm", "Tm"
    TB = "Tb", "Tb"


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("Given online by the worker")
    SIGNED_FORM = "signed_form", _("Signed paper form (scan attached)")
    IN_PERSON = "in_person", _("Given in person at the agency's office")
    VIDEO = "video", _("Recorded video call")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    MIGRATION_CARD = "migration_card", _("Migration card")
    REGISTRATION = "registration", _("Migration registration notice")
    MEDICAL = "medical", _("Medical certificate")
    FINGERPRINTING = "fingerprinting", _("Fingerprinting and photo record")
    LANGUAGE_EXAM = "language_exam", _("Certificate: Russian language, history and law")
    VHI = "vhi", _("Voluntary health insurance policy")
    INN = "inn", _("Tax number (INN) certificate")
    PATENT = "patent", _("Patent")
    PATENT_PAYMENT = "patent_payment", _("Patent payment receipt")
    WORK_VISA = "work_visa", _("Work visa")
    WORK_PERMIT = "work_permit", _("Work permit")
    CONTRACT = "contract", _("Employment contract")
    DIPLOMA = "diploma", _("Diploma or qualification certificate")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    OTHER = "other", _("Other")


# Documents whose expiry the worker is reminded of (the passport is a profile field).
EXPIRING_DOCUMENTS = (DocumentType.PATENT, DocumentType.WORK_PERMIT, DocumentType.WORK_VISA)


class Regime(models.TextChoices):
    """How a citizen of a given country may work in Russia."""

    EAEU = "eaeu", _("EAEU citizen: no work permit needed")
    PATENT = "patent", _("Visa-free entry: patent needed")
    WORK_PERMIT = "work_permit", _("Visa country: work permit within the quota")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Dismissed: different people")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class StepStatus(models.TextChoices):
    """State of one step of a worker's checklist."""

    DONE = "done", _("Done")
    PENDING = "pending", _("Uploaded, awaiting verification")
    MISSING = "missing", _("Missing")
    EXPIRED = "expired", _("Expired")
    BLOCKED = "blocked", _("Not possible for this job")
