"""The person's documents for staff and providers: list, upload, download, share. Views parse input, call a
service or selector and render; every page and download that shows the person is read-logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from jobbtorg.audit.services import read_record
from jobbtorg.participants.models import Participant
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless, rule_required

from . import perms, selectors, services
from .forms import ShareForm, UploadForm
from .models import Document


def _person(request, participant_pk) -> Participant:
    return get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("district"), pk=participant_pk
    )


def _page(request, participant, form, *, status=200):
    user = request.user
    referral = selectors.case_referral_for(user=user, participant=participant)
    documents = list(selectors.documents_for(user=user, participant=participant))
    for document in documents:
        if perms.can_share_document(user, document):
            targets = selectors.share_targets(document=document)
            document.share_form = (
                ShareForm(providers=targets, prefix=str(document.pk)) if targets.exists() else None
            )
    read_record(user=user, participant=participant, view="documents")
    context = {
        "participant": participant,
        "referral": referral,
        "documents": documents,
        "may_upload": perms.can_upload_document(user, referral),
        "form": form,
        "max_size": filesizeformat(services.max_bytes()),
    }
    return render(request, "documents/person.html", context, status=status)


@rule_required(perms.can_view_documents)
def person_documents(request, participant_pk):
    """GET: the person's documents with a form to add one; POST: upload."""
    participant = _person(request, participant_pk)
    if request.method != "POST":
        return _page(request, participant, UploadForm(initial={"document_date": timezone.localdate()}))
    referral = selectors.case_referral_for(user=request.user, participant=participant)
    deny_unless(perms.can_upload_document(request.user, referral))
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                referral=referral,
                by=request.user,
                kind=form.cleaned_data["kind"],
                document_date=form.cleaned_data["document_date"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("documents:person", participant_pk=participant.pk)
    return _page(request, participant, form, status=400)


def _document(request, pk) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user).select_related("participant"), pk=pk)


@require_safe
@never_cache
@rule_required(perms.can_view_documents)
def document_download(request, pk):
    """The file, as an attachment, after the access check; the read is logged."""
    document = _document(request, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    read_record(user=request.user, participant=document.participant, view="document_download")
    response = FileResponse(
        handle, as_attachment=True, filename=document.title, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@rule_required(perms.can_view_documents)
def document_share(request, pk):
    document = _document(request, pk)
    deny_unless(perms.can_share_document(request.user, document))
    targets = selectors.share_targets(document=document)
    form = ShareForm(request.POST, providers=targets, prefix=str(document.pk))
    if form.is_valid():
        try:
            provider = form.cleaned_data["provider"]
            services.document_share(document=document, provider=provider, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was shared."))
            return redirect("documents:person", participant_pk=document.participant_id)
    else:
        messages.error(request, _("Choose a provider to share the document with."))
    upload = UploadForm(initial={"document_date": timezone.localdate()})
    return _page(request, document.participant, upload, status=400)
