"""Documents: PDF, JPEG and PNG only, checked by content, size-capped, images without
metadata, stored outside the web roots, fetched only by those entitled."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from migrants.models import Document
from tests.factories import PDF_BYTES, jpeg_with_exif, upload

pytestmark = pytest.mark.django_db


def post_document(client, url, file, **extra):
    return client.post(url, {"doc_type": "passport", "number": "", "file": file, **extra})


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("passport.pdf", b"just some text, not a PDF at all", "application/pdf"),
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00 a Windows program", "image/jpeg"),
        ("scan.png", b"GIF89a\x01\x00\x01\x00", "image/png"),
        ("archive.pdf", b"PK\x03\x04 a zip file", "application/pdf"),
    ],
)
def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(
    client_for, worker, name, content, content_type
):
    response = post_document(
        client_for(worker.user),
        reverse("migrants:documents"),
        upload(name, content, content_type),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_file-error"' in html
    assert "Upload a PDF, JPEG or PNG file" in html or "damaged" in html
    assert not Document.objects.exists()


def test_a_file_over_the_size_cap_is_refused(client_for, worker, settings):
    settings.MIGRANTS_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = PDF_BYTES[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    response = post_document(
        client_for(worker.user),
        reverse("migrants:documents"),
        upload("big.pdf", big, "application/pdf"),
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_with_javascript_is_refused(client_for, worker):
    evil = PDF_BYTES.replace(
        b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
    )
    response = post_document(
        client_for(worker.user),
        reverse("migrants:documents"),
        upload("x.pdf", evil, "application/pdf"),
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_a_photo_is_stored_re_encoded_without_its_metadata(client_for, worker):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()
    response = post_document(
        client_for(worker.user),
        reverse("migrants:documents"),
        upload("IMG_0001.jpeg", original, "image/jpeg"),
        expires_on="2030-01-01",
    )
    assert response.status_code == 302
    document = Document.objects.get()
    stored = document.file.read()
    assert b"SpyCam" not in stored and b"GPS-tracker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert document.content_type == "image/jpeg"
    assert "IMG_0001" not in document.file.name  # the server names the file


def test_documents_are_stored_outside_the_web_roots(client_for, worker):
    post_document(client_for(worker.user), reverse("migrants:documents"), upload())
    path = Path(Document.objects.get().file.path).resolve()
    assert path.is_relative_to(Path(settings.MIGRANTS_PRIVATE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    for static in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        assert not path.is_relative_to(Path(static).resolve())
    with pytest.raises(ValueError):
        Document.objects.get().file.url  # noqa: B018 (no public address exists)


def test_a_document_is_fetched_only_by_the_worker_their_agency_and_administrators(
    client_for, client, agency_member, other_agency_member, agency_worker, worker, administrator
):
    post_document(
        client_for(agency_member),
        reverse("migrants:agency_documents", args=[agency_worker.pk]),
        upload("p.pdf", PDF_BYTES, "application/pdf"),
    )
    document = Document.objects.get(profile=agency_worker)
    url = reverse("migrants:document_file", args=[document.pk])

    response = client_for(agency_member).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client_for(administrator).get(url).status_code == 200
    assert client_for(other_agency_member).get(url).status_code == 404
    assert client_for(worker.user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_document_cannot_expire_before_it_was_issued(client_for, worker):
    response = post_document(
        client_for(worker.user),
        reverse("migrants:documents"),
        upload(),
        issued_on="2026-02-01",
        expires_on="2025-01-01",
    )
    assert 'id="id_expires_on-error"' in response.content.decode()


def test_an_agency_cannot_upload_for_a_shared_worker(
    client_for, other_agency_member, agency_worker
):
    from migrants import services

    access = services.request_access(profile=agency_worker, by=other_agency_member)
    access.status = "granted"
    access.save()
    url = reverse("migrants:agency_documents", args=[agency_worker.pk])
    client = client_for(other_agency_member)
    assert client.get(url).status_code == 200
    assert post_document(client, url, upload()).status_code == 403
