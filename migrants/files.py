"""Checks on uploaded document scans: type by content, size, and re-encoding.

Only PDF, JPEG and PNG are accepted, recognised by their first bytes (never by
the name or the browser's Content-Type). Images are decoded and re-encoded with
Pillow, which drops EXIF (GPS position, camera, time) and anything appended to
the file; PDFs that carry scripts, launch actions or attachments are refused.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
MAX_PIXELS = 40_000_000  # a 40-megapixel scan is plenty; more is a decompression bomb
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile", b"/OpenAction")


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(head: bytes) -> str | None:
    """The type the content says it is, from its magic bytes."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def clean_upload(upload) -> CleanFile:
    """Validate an uploaded file and return the bytes to store, or raise ValidationError."""
    limit = settings.MIGRANTS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024) or 1},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is too large."), code="too_large")
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file: this file is of another kind."), code="bad_type"
        )
    if content_type == PDF:
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("The PDF file is damaged or incomplete."), code="bad_pdf")
        if any(marker in data for marker in PDF_ACTIVE_CONTENT):
            raise ValidationError(
                _("PDF files with scripts or attachments are not accepted. Scan or print to PDF."),
                code="active_pdf",
            )
        return CleanFile(data, PDF)
    return CleanFile(_reencode(data, content_type), content_type)


def _reencode(data: bytes, content_type: str) -> bytes:
    unreadable = ValidationError(_("The image cannot be read: is it damaged?"), code="bad_image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("The image is too large in pixels."), code="too_many_pixels"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation, drop the EXIF
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise unreadable from None
    image.info = {}
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
