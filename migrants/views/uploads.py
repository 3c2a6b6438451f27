"""Documents: the upload page, the only way to a stored scan, and deleting one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from migrants import services
from migrants.forms import DocumentForm
from migrants.views.common import _base, _profile, _url


@role_required(Role.MIGRANT, Role.AGENCY)
def documents(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile = _profile(request, pk)
    editable = services.can_edit(request.user, profile)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.upload_document(
                profile=profile,
                actor=request.user,
                doc_type=data["doc_type"],
                clean_file=form.clean_file_data,
                number=data["number"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
            messages.success(
                request, _("The document is uploaded. An administrator will check it.")
            )
            return redirect(request.path)
    context = _base(request, profile)
    context.update({"form": form, "documents": profile.documents.all(), "editable": editable})
    return render(request, "migrants/documents.html", context, status=400 if form.errors else 200)


@never_cache
@role_required(Role.MIGRANT, Role.AGENCY, Role.ADMINISTRATOR)
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a stored scan: the worker, their agency, or an administrator."""
    document = get_object_or_404(services.document_visible_to(request.user), pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.doc_type}-{document.pk}{document.file.name[-4:]}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@role_required(Role.MIGRANT, Role.AGENCY)
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(services.document_visible_to(request.user), pk=pk)
    profile = document.profile
    try:
        services.delete_document(document=document, actor=request.user)
    except services.RegistryError as error:
        messages.error(request, str(error))
    return redirect(_url("documents", profile, request))
