"""The person's journal and messages pages for staff and providers: list, write, sign, correct, send.
Views parse input, call a service or selector and render; every page that shows the person is read-logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.audit.services import read_record
from jobbtorg.participants.models import Participant
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.listing import sorted_page
from jobbtorg.utils.views import deny_unless, rule_required

from . import perms, selectors, services
from .forms import EntryFilterForm, EntryForm, MessageForm
from .models import JournalEntry


def _person(request, participant_pk) -> Participant:
    return get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("district"), pk=participant_pk
    )


# The journal is paged, sorted and filtered by type in the URL (utils.listing, issue 16): key → fields.
JOURNAL_SORTS = {"occurred": ("occurred_on", "written_at")}
JOURNAL_PER_PAGE = 20


def _journal_page(request, participant, form, *, status=200):
    user = request.user
    referral = selectors.case_referral_for(user=user, participant=participant)
    read_record(user=user, participant=participant, view="journal")
    filter_form = EntryFilterForm(request.GET or None, auto_id="filter_%s")  # the entry form has `kind` too
    entries = selectors.journal_heads(user=user, participant=participant)
    if filter_form.is_valid() and filter_form.cleaned_data["kind"]:
        entries = entries.filter(kind=filter_form.cleaned_data["kind"])
    listing = sorted_page(
        request, entries, sorts=JOURNAL_SORTS, default="-occurred", per_page=JOURNAL_PER_PAGE
    )
    shown = list(listing.page.object_list)
    correctable = perms.correctable_entries(
        user, shown + [correction for entry in shown for correction in entry.shown_corrections]
    )
    context = {
        "participant": participant,
        "referral": referral,
        "entries": shown,
        "correctable": correctable,
        "listing": listing,
        "filter_form": filter_form,
        "may_write": perms.can_write_entry(user, referral),
        "form": form,
    }
    return render(request, "journal/person.html", context, status=status)


@rule_required(perms.can_view_journals)
def person_journal(request, participant_pk):
    """GET: the person's journal with a form for a new entry; POST: save the entry (draft) or sign it."""
    participant = _person(request, participant_pk)
    if request.method != "POST":
        return _journal_page(request, participant, EntryForm(initial={"occurred_on": timezone.localdate()}))
    referral = selectors.case_referral_for(user=request.user, participant=participant)
    deny_unless(perms.can_write_entry(request.user, referral))
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            services.entry_write(
                referral=referral, by=request.user, sign="sign" in request.POST, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The entry was signed.")
                if "sign" in request.POST
                else _("The entry was saved as a draft."),
            )
            return redirect("journal:person", participant_pk=participant.pk)
    return _journal_page(request, participant, form, status=400)


def _entry(request, pk) -> JournalEntry:
    return get_object_or_404(
        JournalEntry.objects.visible_to(request.user).select_related("participant", "referral"), pk=pk
    )


@require_POST
@rule_required(perms.can_view_journals)
def entry_sign(request, pk):
    entry = _entry(request, pk)
    deny_unless(perms.can_sign_entry(request.user, entry))
    services.entry_sign(entry=entry, by=request.user)
    messages.success(request, _("The entry was signed."))
    return redirect("journal:person", participant_pk=entry.participant_id)


@rule_required(perms.can_write_journals)
def entry_correct(request, pk):
    """A correction of a signed entry: a new entry that points to it (the original stays as it was)."""
    entry = _entry(request, pk)
    deny_unless(perms.can_correct_entry(request.user, entry))
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            try:
                services.entry_write(
                    referral=entry.referral,
                    corrects=entry,
                    by=request.user,
                    sign="sign" in request.POST,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The correction was saved."))
                return redirect("journal:person", participant_pk=entry.participant_id)
    else:
        form = EntryForm(initial={"kind": entry.kind, "occurred_on": entry.occurred_on, "body": entry.body})
    read_record(user=request.user, participant=entry.participant, view="journal_correct")
    status = 400 if form.is_bound else 200
    return render(request, "journal/correct.html", {"entry": entry, "form": form}, status=status)


@rule_required(perms.can_view_messages)
def person_messages(request, participant_pk):
    """The threads on a person's case: with the person (coach side) and with each provider (`?anordnare=`)."""
    user = request.user
    deny_unless(not user.is_participant)
    participant = _person(request, participant_pk)
    providers = selectors.provider_threads(user=user, participant=participant)
    provider = None
    wanted = request.GET.get("anordnare") or request.POST.get("anordnare")
    if user.is_provider_staff:
        provider = next(iter(providers), None)
    elif wanted:
        provider = next((p for p in providers if str(p.pk) == wanted), None)
        if provider is None:
            raise Http404
    referral = selectors.case_referral_for(user=user, participant=participant)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        deny_unless(perms.can_send_message(user, referral, provider))
        if form.is_valid():
            try:
                services.message_send(
                    referral=referral, provider=provider, by=user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The message was sent."))
                suffix = f"?anordnare={provider.pk}" if provider and not user.is_provider_staff else ""
                return redirect(request.path + suffix)
    read_record(user=user, participant=participant, view="messages")
    context = {
        "participant": participant,
        "providers": providers,
        "provider": provider,
        "thread": selectors.thread(user=user, participant=participant, provider=provider),
        "may_send": perms.can_send_message(user, referral, provider),
        "form": form,
        "choose_thread": not user.is_provider_staff,
    }
    return render(request, "journal/messages.html", context, status=400 if form.errors else 200)
