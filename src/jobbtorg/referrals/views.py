"""Referral pages: create (caseworker), intake at the unit (Jobbtorg staff, ADR 0020), list, detail, and the
status actions (POST only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.audit.services import read_record, read_records
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.listing import sorted_page
from jobbtorg.utils.views import deny_unless, form_action, rule_required

from . import perms, services
from .constants import ReferralStatus
from .forms import (
    AcceptForm,
    CloseForm,
    CoachChangeForm,
    IntakeForm,
    ReferralCreateForm,
    ResubmitForm,
    ReturnForm,
    SendBackForm,
    StatusFilterForm,
)
from .models import Referral
from .workflow import can_transition


@rule_required(perms.can_create_referral)
def create(request):
    form = ReferralCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The referral was sent to %(unit)s. The action plan is due by %(date)s.")
                % {"unit": referral.unit, "date": referral.plan_due_date},
            )
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/create.html", {"form": form})


@rule_required(perms.can_register_intake)
def intake(request):
    """Register a person who comes from Arbetsförmedlingen, Försäkringskassan, on their own or from another
    actor: the referral is taken in at the user's unit, accepted at once."""
    form = IntakeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_intake(by=request.user, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is taken in at %(unit)s. The action plan is due by %(date)s.")
                    % {
                        "name": referral.participant.full_name,
                        "unit": referral.unit,
                        "date": referral.plan_due_date,
                    },
                )
                return redirect("referrals:detail", pk=referral.pk)
        return render(request, "referrals/intake.html", {"form": form}, status=400)
    return render(request, "referrals/intake.html", {"form": form})


# The columns of the referral list that sort (utils.listing): key in the URL → fields. Not by name: a case
# closed on withdrawn consent is listed without its person, and its place in a name order would tell the name.
REFERRAL_SORTS = {
    "district": ("district__name",),
    "received": ("referral_date", "created_at"),
    "due": ("plan_due_date",),
    "status": ("status",),
}


@rule_required(perms.can_view_referrals)
def referral_list(request):
    filter_form = StatusFilterForm(request.GET or None)
    referrals = Referral.objects.listed_for(request.user).select_related("participant", "district", "unit")
    if filter_form.is_valid() and filter_form.cleaned_data["status"]:
        referrals = referrals.filter(status=filter_form.cleaned_data["status"])
    listing = sorted_page(request, referrals, sorts=REFERRAL_SORTS, default="-received")
    page = listing.page
    read_records(
        user=request.user,
        participants=[r.participant for r in page.object_list if not r.content_hidden],
        view="referral_list",
    )
    return render(
        request, "referrals/list.html", {"filter_form": filter_form, "page": page, "listing": listing}
    )


def _detail(request, referral: Referral, **forms):
    """Render the referral page (with any bound action form that has errors); logs the read."""
    user = request.user
    read_record(user=user, participant=referral.participant, view="referral_detail")
    version = {"version": referral.lock_version}
    context = {
        "referral": referral,
        "events": referral.events.select_related("by"),
        "can_accept": perms.can_accept_referral(user, referral)
        and can_transition(referral.status, ReferralStatus.ACCEPTED),
        "can_close": perms.can_close_referral(user, referral)
        and can_transition(referral.status, ReferralStatus.CLOSED),
        "can_resubmit": perms.can_resubmit_referral(user, referral)
        and referral.status == ReferralStatus.RETURNED
        and can_transition(referral.status, ReferralStatus.RECEIVED),
        "accept_form": forms.get("accept_form") or AcceptForm(initial=version),
        "return_form": forms.get("return_form") or ReturnForm(initial=version),
        "close_form": forms.get("close_form") or CloseForm(initial=version),
        "resubmit_form": forms.get("resubmit_form") or ResubmitForm(initial=version),
        "plan_links": referral.status == ReferralStatus.ACCEPTED,
        "send_backs": referral.send_backs.all(),
        "can_send_back": perms.can_send_back_referral(user, referral)
        and referral.status == ReferralStatus.ACCEPTED
        and not referral.send_backs.open().exists(),
        "send_back_form": forms.get("send_back_form") or SendBackForm(initial=version),
        "coach_changes": referral.coach_changes.select_related("from_coach", "to_coach", "by"),
        "can_change_coach": perms.can_change_coach(user, referral)
        and referral.status == ReferralStatus.ACCEPTED,
        "coach_form": forms.get("coach_form") or CoachChangeForm(initial=version, referral=referral),
    }
    return render(request, "referrals/detail.html", context)


def _visible_referral(request, pk) -> Referral:
    queryset = Referral.objects.visible_to(request.user).select_related(
        "participant", "district", "unit", "caseworker", "coach"
    )
    return get_object_or_404(queryset, pk=pk)


@rule_required(perms.can_view_referrals)
def detail(request, pk):
    return _detail(request, _visible_referral(request, pk))


def _act(request, pk, *, form_class, form_name: str, action, success: str, rule=None):
    """The shared shape of a status action: parse the form, call the service, report the outcome. With a
    `rule` (a perms function of the user and the referral), a user it refuses gets 403 before any input is
    read, and the form is bound to the referral."""
    referral = _visible_referral(request, pk)
    if rule is not None:
        deny_unless(rule(request.user, referral))
    form = form_class(request.POST, referral=referral) if rule else form_class(request.POST)
    return form_action(
        request,
        form,
        item=referral,
        action=action,
        success=success,
        done=reverse("referrals:detail", args=[referral.pk]),
        page=lambda form: _detail(request, referral, **{form_name: form}),
    )


@require_POST
@rule_required(perms.can_answer_referrals)
def accept(request, pk):
    return _act(
        request,
        pk,
        form_class=AcceptForm,
        form_name="accept_form",
        action=lambda referral, data: services.referral_accept(
            referral=referral, by=request.user, version=data["version"]
        ),
        success=_("The referral was accepted. The mapping can start."),
    )


@require_POST
@rule_required(perms.can_answer_referrals)
def return_(request, pk):
    return _act(
        request,
        pk,
        form_class=ReturnForm,
        form_name="return_form",
        action=lambda referral, data: services.referral_return(
            referral=referral, by=request.user, reason=data["reason"], version=data["version"]
        ),
        success=_("The referral was returned to the caseworker."),
    )


@require_POST
@rule_required(perms.can_view_referrals)
def close(request, pk):
    return _act(
        request,
        pk,
        form_class=CloseForm,
        form_name="close_form",
        action=lambda referral, data: services.referral_close(
            referral=referral,
            by=request.user,
            reason=data["reason"],
            comment=data["comment"],
            version=data["version"],
        ),
        success=_("The referral was closed."),
    )


@require_POST
@rule_required(perms.can_create_referral)
def resubmit(request, pk):
    return _act(
        request,
        pk,
        form_class=ResubmitForm,
        form_name="resubmit_form",
        action=lambda referral, data: services.referral_resubmit(
            referral=referral, by=request.user, comment=data["comment"], version=data["version"]
        ),
        success=_("The referral was sent to the unit again."),
    )


@require_POST
@rule_required(perms.can_answer_referrals)
def coach_change(request, pk):
    """The unit head (or the responsible coach handing over) names another responsible coach, with a
    reason; the step is kept in the coach history shown on the page."""
    return _act(
        request,
        pk,
        form_class=CoachChangeForm,
        form_name="coach_form",
        rule=perms.can_change_coach,
        action=lambda referral, data: services.referral_coach_change(
            referral=referral,
            to_coach=data["coach"],
            by=request.user,
            reason=data["reason"],
            version=data["version"],
        ),
        success=_("The responsible coach was changed."),
    )
