"""Provider register and authorisation pages: the register (list, detail, new), applications for
authorisation with the municipality's checklist, decisions, and suspending, reinstating and revoking an
authorisation. Every write goes through providers.services; contracts (LOU) are kept in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.accounts.models import Municipality
from jobbtorg.accounts.selectors import municipality_for_writes
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.languages import language_names
from jobbtorg.utils.views import deny_unless

from . import perms, selectors, services
from .constants import ApplicationStatus
from .forms import ApplicationForm, DecisionForm, ProviderForm, ReinstateForm, RevokeForm, SuspendForm
from .models import Application, Authorisation, AuthorisationEvent, ContractPrice, Provider, Suspension

# The register -----------------------------------------------------------------------------------------------


@login_required
def provider_list(request):
    deny_unless(perms.can_view_providers(request.user))
    today = timezone.localdate()
    providers = list(Provider.objects.visible_to(request.user))
    in_force = dict.fromkeys((p.pk for p in providers), 0)
    for provider_id in (
        Authorisation.objects.in_force(today)
        .filter(provider__in=providers)
        .values_list("provider_id", flat=True)
    ):
        in_force[provider_id] += 1
    for provider in providers:
        provider.authorisations_in_force = in_force[provider.pk]
        provider.language_names = language_names(provider.languages or [])
    return render(
        request,
        "providers/register/list.html",
        {
            "providers": providers,
            "can_create": perms.can_add_provider(request.user),
            "can_apply": perms.can_apply(request.user),
            "can_decide": perms.can_decide_applications(request.user),
        },
    )


def _applications(user):
    """The applications the user sees (`Application.objects.visible_to`), pending first."""
    return (
        Application.objects.visible_to(user)
        .pending_first()
        .select_related("provider", "intervention_type", "submitted_by", "decided_by")
    )


def _visible_provider(request, pk):
    return get_object_or_404(Provider.objects.visible_to(request.user), pk=pk)


def _render_detail(request, provider, *, bound: dict | None = None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    bound = bound or {}
    authorisations = list(
        provider.authorisations.select_related("intervention_type", "application")
        .prefetch_related(
            Prefetch("suspensions", queryset=Suspension.objects.order_by("start_date")),
            Prefetch("events", queryset=AuthorisationEvent.objects.select_related("by")),
        )
        .order_by("intervention_type__sort_order", "-valid_from")
    )
    deciding = perms.can_decide_applications(user)
    for authorisation in authorisations:
        authorisation.state = selectors.authorisation_state(authorisation, today)
        if deciding and authorisation.state.code != "revoked":
            version = {"version": authorisation.lock_version}
            authorisation.suspend_form = bound.get(("suspend", authorisation.pk)) or SuspendForm(
                authorisation=authorisation, initial=version
            )
            authorisation.reinstate_form = bound.get(("reinstate", authorisation.pk)) or ReinstateForm(
                authorisation=authorisation, initial=version
            )
            authorisation.revoke_form = bound.get(("revoke", authorisation.pk)) or RevokeForm(
                authorisation=authorisation, initial=version
            )
            authorisation.can_reinstate = authorisation.state.code == "suspended" or any(
                s.end_date is None or s.end_date >= today for s in authorisation.suspensions.all()
            )
    contracts = provider.contracts.prefetch_related(
        "intervention_types",
        Prefetch("prices", queryset=ContractPrice.objects.select_related("intervention_type")),
    )
    own_staff = user.provider_id == provider.pk
    provider.language_names = language_names(provider.languages or [])
    return render(
        request,
        "providers/register/detail.html",
        {
            "provider": provider,
            "authorisations": authorisations,
            "contracts": contracts,
            "can_decide": deciding,
            "can_apply": perms.can_apply(user) and own_staff,
            "show_applications": deciding or own_staff,
            "today": today,
        },
        status=status,
    )


@login_required
def provider_detail(request, pk):
    deny_unless(perms.can_view_providers(request.user))
    return _render_detail(request, _visible_provider(request, pk))


@require_http_methods(["GET", "POST"])
@login_required
def provider_new(request):
    deny_unless(perms.can_add_provider(request.user))
    municipality_id = municipality_for_writes(request.user)
    deny_unless(municipality_id is not None)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                municipality=Municipality.objects.get(pk=municipality_id),
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was added to the provider register.") % {"name": provider.name}
            )
            return redirect("providers:detail", pk=provider.pk)
    return render(request, "providers/register/new.html", {"form": form}, status=400 if form.errors else 200)


# Authorisation: apply, list, decide -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def apply(request):
    """Choose the intervention type (GET), then answer the checklist for it and submit (POST)."""
    deny_unless(perms.can_apply(request.user))
    provider = request.user.provider
    data = request.POST if request.method == "POST" else request.GET
    chooser = ApplicationForm(data or None)
    intervention_type = None
    if data.get("intervention_type"):
        chooser.is_valid()
        intervention_type = chooser.cleaned_data.get("intervention_type")
    requirements = (
        services.requirements_for(municipality=provider.municipality, intervention_type=intervention_type)
        if intervention_type is not None
        else []
    )
    if request.method == "POST":
        form = ApplicationForm(request.POST, requirements=requirements)
        if form.is_valid():
            try:
                application = services.application_submit(
                    provider=provider,
                    intervention_type=form.cleaned_data["intervention_type"],
                    answers=form.answers(),
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The application for %(type)s was submitted. The municipality will decide on it.")
                    % {"type": application.intervention_type.display_name},
                )
                return redirect("providers:applications")
        status = 400
    else:
        form = ApplicationForm(initial={"intervention_type": intervention_type}, requirements=requirements)
        status = 200
    return render(
        request,
        "providers/register/apply.html",
        {
            "provider": provider,
            "form": form,
            "intervention_type": intervention_type,
        },
        status=status,
    )


@login_required
def applications(request):
    deny_unless(perms.can_view_applications(request.user))
    return render(
        request,
        "providers/register/applications.html",
        {
            "applications": _applications(request.user),
            "can_decide": perms.can_decide_applications(request.user),
            "can_apply": perms.can_apply(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def application_decide(request, pk):
    deny_unless(perms.can_decide_applications(request.user))
    application = get_object_or_404(_applications(request.user), pk=pk)
    answers = list(
        application.answers.select_related("requirement").order_by("requirement__order", "requirement")
    )
    pending = application.status == ApplicationStatus.SUBMITTED
    form = DecisionForm(
        request.POST or None,
        initial={"version": application.lock_version, "valid_from": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        deny_unless(pending)
        if form.is_valid():
            data = form.cleaned_data
            approve = data["decision"] == "approve"
            try:
                services.application_decide(
                    application=application,
                    approve=approve,
                    reason=data["reason"],
                    by=request.user,
                    version=data["version"],
                    valid_from=data["valid_from"] if approve else None,
                    capacity=data["capacity"] if approve else None,
                )
            except ConflictError as error:
                messages.error(request, error.message)
                return redirect("providers:application_decide", pk=application.pk)
            except ValidationError as error:
                add_service_errors(form, error, aliases={"approve": "decision"})
            else:
                if approve:
                    messages.success(
                        request,
                        _("The application was approved: %(provider)s is authorised for %(type)s.")
                        % {
                            "provider": application.provider.name,
                            "type": application.intervention_type.display_name,
                        },
                    )
                else:
                    messages.success(request, _("The application was rejected."))
                return redirect("providers:detail", pk=application.provider_id)
        status = 400
    return render(
        request,
        "providers/register/decide.html",
        {
            "application": application,
            "answers": answers,
            "unfulfilled": [a for a in answers if not a.fulfilled],
            "pending": pending,
            "form": form,
        },
        status=status,
    )


# Suspend, reinstate, revoke ---------------------------------------------------------------------------------


def _authorisation_act(request, pk, *, kind: str, form_class, action, success: str):
    deny_unless(perms.can_decide_applications(request.user))
    authorisation = get_object_or_404(Authorisation.objects.visible_to(request.user), pk=pk)
    provider = authorisation.provider
    form = form_class(request.POST, authorisation=authorisation)
    if form.is_valid():
        try:
            action(authorisation, form.cleaned_data)
        except ConflictError as error:
            messages.error(request, error.message)
            return redirect("providers:detail", pk=provider.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success % {"type": authorisation.intervention_type.display_name})
            return redirect("providers:detail", pk=provider.pk)
    return _render_detail(request, provider, bound={(kind, authorisation.pk): form}, status=400)


@require_POST
@login_required
def authorisation_suspend(request, pk):
    return _authorisation_act(
        request,
        pk,
        kind="suspend",
        form_class=SuspendForm,
        action=lambda authorisation, data: services.authorisation_suspend(
            authorisation=authorisation,
            start_date=data["start_date"],
            end_date=data["end_date"],
            reason=data["reason"],
            by=request.user,
            version=data["version"],
        ),
        success=_("The authorisation for %(type)s was suspended."),
    )


@require_POST
@login_required
def authorisation_reinstate(request, pk):
    return _authorisation_act(
        request,
        pk,
        kind="reinstate",
        form_class=ReinstateForm,
        action=lambda authorisation, data: services.authorisation_reinstate(
            authorisation=authorisation,
            on=data["on"],
            reason=data["reason"],
            by=request.user,
            version=data["version"],
        ),
        success=_("The authorisation for %(type)s is in force again."),
    )


@require_POST
@login_required
def authorisation_revoke(request, pk):
    return _authorisation_act(
        request,
        pk,
        kind="revoke",
        form_class=RevokeForm,
        action=lambda authorisation, data: services.authorisation_revoke(
            authorisation=authorisation,
            on=data["on"],
            reason=data["reason"],
            by=request.user,
            version=data["version"],
        ),
        success=_("The authorisation for %(type)s was revoked."),
    )
