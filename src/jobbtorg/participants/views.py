"""The person pages: search by number (POST) or name, and the person's record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jobbtorg.audit.selectors import change_history
from jobbtorg.audit.services import read_record, read_records
from jobbtorg.plans.models import ActionPlan, Mapping
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless, rule_required

from . import perms
from .constants import TargetGroup
from .forms import ConsentForm, LanguageForm, NameSearchForm, PersonLookupForm
from .models import Participant
from .selectors import consent_current, participant_find_by_personal_number
from .services import consent_record, participant_language_set

NOT_FOUND = gettext_lazy("No person you have access to has this number.")
HISTORY_LIMIT = 100


@rule_required(perms.can_view_people)
def search(request):
    lookup_form = PersonLookupForm(request.POST or None)
    if request.method == "POST" and lookup_form.is_valid():
        participant = participant_find_by_personal_number(
            user=request.user, personal_number=lookup_form.cleaned_data["personal_number"]
        )
        if participant is not None:
            return redirect("participants:detail", pk=participant.pk)
        lookup_form.add_error("personal_number", NOT_FOUND)

    name_form = NameSearchForm(request.GET if "q" in request.GET else None)
    page = None
    if name_form.is_bound and name_form.is_valid():
        term = name_form.cleaned_data["q"]
        people = (
            Participant.objects.visible_to(request.user)
            .filter(Q(last_name__icontains=term) | Q(first_name__icontains=term))
            .select_related("district")
            .order_by("last_name", "first_name", "pk")
        )
        page = Paginator(people, 25).get_page(request.GET.get("page"))
        read_records(user=request.user, participants=page.object_list, view="participant_search")
    context = {"lookup_form": lookup_form, "name_form": name_form, "page": page}
    if request.htmx and request.method == "GET":
        return render(request, "participants/_search_results.html", context)
    return render(request, "participants/search.html", context)


def _detail_context(request, participant: Participant, consent_form=None, language_form=None) -> dict:
    user = request.user
    referrals = list(
        Referral.objects.visible_to(user).filter(participant=participant).select_related("unit", "district")
    )
    current = next((r for r in referrals if r.is_open), referrals[0] if referrals else None)
    mapping = plan = None
    if current is not None:
        mapping = Mapping.objects.visible_to(user).filter(referral=current).first()
        plan = (
            ActionPlan.objects.visible_to(user)
            .filter(referral=current)
            .select_related("current_version")
            .first()
        )
    history = [
        {"entry": entry, "fields": _changed_fields(entry.changes)}
        for entry in change_history(participant=participant)[:HISTORY_LIMIT]
    ]
    may_record_consent = perms.can_decide_consent(user, participant)
    return {
        "participant": participant,
        "contact_visible": perms.can_see_contact(user, participant),
        "target_groups": [_target_group_label(value) for value in participant.target_groups],
        "consent": consent_current(participant=participant),
        "referrals": referrals,
        "current": current,
        "mapping": mapping,
        "plan": plan,
        "history": history,
        "may_record_consent": may_record_consent,
        "consent_form": (consent_form or ConsentForm()) if may_record_consent else None,
        "language_form": (
            (language_form or LanguageForm(initial={"language": participant.language}))
            if perms.can_set_language(user, participant)
            else None
        ),
    }


def _changed_fields(changes) -> list[str]:
    if isinstance(changes, dict):
        return sorted(changes)
    if isinstance(changes, list):
        return [str(name) for name in changes]
    return []


def _target_group_label(value: str) -> str:
    try:
        return TargetGroup(value).label
    except ValueError:
        return value


@rule_required(perms.can_view_people)
def detail(request, pk):
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    read_record(user=request.user, participant=participant, view="participant_detail")
    return render(request, "participants/detail.html", _detail_context(request, participant))


@require_POST
@rule_required(perms.can_decide_consents)
def consent(request, pk):
    """Record consent given or withdrawn (HTMX swaps the consent box; without JS, post and redirect)."""
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    deny_unless(perms.can_decide_consent(request.user, participant))
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent_record(
                participant=participant,
                status=form.cleaned_data["status"],
                effective_date=form.cleaned_data["effective_date"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                context = {**_detail_context(request, participant), "consent_saved": True}
                return render(request, "participants/_consent.html", context)
            messages.success(request, _("The consent was recorded."))
            return redirect("participants:detail", pk=participant.pk)
    if request.htmx:
        return render(request, "participants/_consent.html", _detail_context(request, participant, form))
    read_record(user=request.user, participant=participant, view="participant_detail")
    return render(request, "participants/detail.html", _detail_context(request, participant, form))


@require_POST
@rule_required(perms.can_view_people)
def language(request, pk):
    """Staff set the language of the person's portal, reminders and printed plan (e.g. at a first meeting)."""
    participant = get_object_or_404(
        Participant.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    deny_unless(perms.can_set_language(request.user, participant))
    form = LanguageForm(request.POST)
    if form.is_valid():
        participant_language_set(
            participant=participant, language=form.cleaned_data["language"], by=request.user
        )
        messages.success(request, _("The language was saved."))
        return redirect("participants:detail", pk=participant.pk)
    read_record(user=request.user, participant=participant, view="participant_detail")
    context = _detail_context(request, participant, language_form=form)
    return render(request, "participants/detail.html", context, status=400)
