"""Customer choice pages for the Jobbtorg staff of the person's unit: start a provider choice, compare the
authorised providers and choose with the person, and see or change the person's providers."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.audit.services import read_record
from jobbtorg.interventions.models import InterventionType
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless, rule_required

from . import perms, services
from .constants import ChoiceStatus
from .models import Assignment, ChoiceRequest, Provider
from .selectors import assignment_history, choice_comparison, choice_intervention_types, choosable_providers

# Forms ------------------------------------------------------------------------------------------------------


class ChoiceStartForm(forms.Form):
    intervention_type = forms.ModelChoiceField(
        label=gettext_lazy("Intervention"),
        queryset=InterventionType.objects.none(),
        empty_label=gettext_lazy("Choose an intervention"),
        help_text=gettext_lazy("Only interventions with authorised providers can be chosen."),
    )

    def __init__(self, *args, intervention_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention_type"].queryset = intervention_types


class ProviderChoiceForm(forms.Form):
    """The "Choose" button of one row in the comparison."""

    provider = forms.IntegerField(widget=forms.HiddenInput)


class AssignmentChangeForm(forms.Form):
    assignment = forms.UUIDField(widget=forms.HiddenInput)
    provider = forms.ModelChoiceField(
        label=gettext_lazy("New provider"),
        queryset=Provider.objects.none(),
        empty_label=gettext_lazy("Choose a provider"),
        help_text=gettext_lazy("Only authorised providers with a free place are listed."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": gettext_lazy("Give the reason for the change of provider.")},
    )

    def __init__(self, *args, assignment: Assignment, providers: list[Provider], **kwargs):
        kwargs.setdefault("prefix", f"change-{assignment.pk}")
        kwargs.setdefault("initial", {"assignment": assignment.pk})
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(
            pk__in=[p.pk for p in providers if p.pk != assignment.provider_id]
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for the change of provider."))
        return reason


# Scoping ----------------------------------------------------------------------------------------------------


def _referral(user, referral_pk) -> Referral:
    """The referral if the user may see it (staff of the unit it is routed to); a 404 otherwise."""
    queryset = Referral.objects.visible_to(user).select_related(
        "participant", "district", "unit__municipality", "coach"
    )
    return get_object_or_404(queryset, pk=referral_pk)


def _choice(user, pk) -> ChoiceRequest:
    queryset = ChoiceRequest.objects.filter(referral__in=Referral.objects.visible_to(user)).select_related(
        "participant", "referral__unit__municipality", "referral__district", "intervention_type"
    )
    return get_object_or_404(queryset, pk=pk)


# Pages ------------------------------------------------------------------------------------------------------


@rule_required(perms.can_work_with_choices)
def choice_start(request, referral_pk):
    """Start a provider choice: pick an intervention type that has authorised providers; the person then
    has the municipality's number of days (JOBBTORG_CHOICE_DAYS) to choose."""
    referral = _referral(request.user, referral_pk)
    today = timezone.localdate()
    municipality = referral.unit.municipality
    days = settings.JOBBTORG_CHOICE_DAYS
    form = ChoiceStartForm(
        request.POST or None,
        intervention_types=choice_intervention_types(municipality=municipality, on=today),
    )
    can_start = referral.status == ReferralStatus.ACCEPTED and perms.can_offer_choice(request.user, referral)
    if request.method == "POST":
        deny_unless(can_start)
        if form.is_valid():
            try:
                choice = services.choice_open(
                    referral=referral,
                    intervention_type=form.cleaned_data["intervention_type"],
                    by=request.user,
                    days=days,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The provider choice has started. The person has until %(date)s to choose.")
                    % {"date": choice.deadline},
                )
                return redirect("providers:choice", pk=choice.pk)
    read_record(user=request.user, participant=referral.participant, view="provider_choice_start")
    context = {
        "referral": referral,
        "participant": referral.participant,
        "form": form,
        "can_start": can_start,
        "days": days,
        "deadline": today + datetime.timedelta(days=days),
        "choices": referral.choices.select_related("intervention_type").order_by("-opened_at"),
    }
    return render(request, "providers/choice/start.html", context)


@rule_required(perms.can_work_with_choices)
def choice(request, pk):
    """The comparison of authorised providers; the coach chooses together with the person."""
    choice_request = _choice(request.user, pk)
    referral = choice_request.referral
    today = timezone.localdate()
    rows = choice_comparison(
        municipality=referral.unit.municipality, intervention_type=choice_request.intervention_type, on=today
    )
    if request.method == "POST":
        outcome = choose(request, choice_request, rows, with_coach=True)
        if outcome is not None:
            return redirect("providers:assignments", referral_pk=referral.pk)
        return redirect("providers:choice", pk=choice_request.pk)
    read_record(user=request.user, participant=choice_request.participant, view="provider_choice")
    is_open = choice_request.status == ChoiceStatus.OPEN
    context = {
        "choice": choice_request,
        "referral": referral,
        "participant": choice_request.participant,
        "rows": rows,
        "can_choose": is_open and perms.can_offer_choice(request.user, referral),
        "is_open": is_open,
        "assignment": Assignment.objects.filter(choice=choice_request).select_related("provider").first(),
        "minimum": settings.JOBBTORG_COMPARISON_MIN_COUNT,
    }
    return render(request, "providers/choice/choice.html", context)


def choose(request, choice_request: ChoiceRequest, rows, *, with_coach: bool) -> Assignment | None:
    """Shared by the coach page and the participant view: the POSTed provider must be a row of the
    comparison with a free place; choice_make decides the rest. Reports the outcome as a message."""
    form = ProviderChoiceForm(request.POST)
    choosable = {row.provider.pk: row.provider for row in rows if row.can_choose}
    if not form.is_valid() or form.cleaned_data["provider"] not in choosable:
        messages.error(request, _("Choose one of the providers with a free place."))
        return None
    try:
        assignment = services.choice_make(
            choice=choice_request,
            provider=choosable[form.cleaned_data["provider"]],
            by=request.user,
            with_coach=with_coach,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, _("%(provider)s was chosen.") % {"provider": assignment.provider.name})
    return assignment


@rule_required(perms.can_work_with_choices)
def assignments(request, referral_pk):
    """The person's providers now and before; a change of provider (with a reason) for the current ones."""
    referral = _referral(request.user, referral_pk)
    participant = referral.participant
    today = timezone.localdate()
    history = list(assignment_history(participant=participant))
    current = [a for a in history if a.end_date is None and perms.can_offer_choice(request.user, a.referral)]
    change_forms = {}
    for assignment in current:
        providers = choosable_providers(
            municipality=assignment.provider.municipality,
            intervention_type=assignment.intervention_type,
            on=today,
        )
        change_forms[assignment.pk] = AssignmentChangeForm(assignment=assignment, providers=providers)

    if request.method == "POST":
        by_pk = {str(a.pk): a for a in current}
        target = by_pk.get(next((v for k, v in request.POST.items() if k.endswith("-assignment")), ""))
        if target is None:
            messages.error(request, _("This provider can no longer be changed here."))
            return redirect("providers:assignments", referral_pk=referral.pk)
        providers = choosable_providers(
            municipality=target.provider.municipality, intervention_type=target.intervention_type, on=today
        )
        form = AssignmentChangeForm(request.POST, assignment=target, providers=providers)
        change_forms[target.pk] = form
        if form.is_valid():
            try:
                new = services.assignment_change(
                    assignment=target,
                    provider=form.cleaned_data["provider"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The provider was changed to %(provider)s.") % {"provider": new.provider}
                )
                return redirect("providers:assignments", referral_pk=referral.pk)

    read_record(user=request.user, participant=participant, view="provider_assignments")
    rows = [{"assignment": a, "form": change_forms.get(a.pk)} for a in history]
    context = {
        "referral": referral,
        "participant": participant,
        "rows": rows,
        "current_rows": [row for row in rows if row["form"] is not None],
        "open_choices": participant.choices.filter(
            status=ChoiceStatus.OPEN, referral=referral
        ).select_related("intervention_type"),
    }
    return render(request, "providers/choice/assignments.html", context)
