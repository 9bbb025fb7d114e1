"""Pages of the partners (ADR 19): the partner's start page and a person's shared plan; the coach's page of
the partners on a case (four-party meetings, requests) and the outcome of a meeting. Views parse input, call
a service or selector and render; every page that shows a person is read-logged."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobbtorg.audit.services import read_record, read_records
from jobbtorg.participants.models import Participant
from jobbtorg.plans import perms as plan_perms
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.models import OtherPlanLink
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless, rule_required

from . import perms, selectors, services
from .forms import LinkConfirmForm, MeetingForm, OutcomeForm, RequestAnswerForm, RequestForm
from .models import PartnerMeeting, PartnerRequest

# The partner's pages ------------------------------------------------------------------------------------


@require_safe
@rule_required(perms.can_use_partner_start)
def partner_home(request):
    people = list(selectors.partner_people(user=request.user))
    open_requests, meetings = selectors.partner_inbox(user=request.user)
    read_records(user=request.user, participants=people, view="partner_home")
    context = {
        "organisation": request.user.partner_organisation,
        "people": people,
        "open_requests": open_requests,
        "meetings": meetings,
    }
    return render(request, "partners/home.html", context)


def _person_page(request, participant, *, status=200, answer_forms=None, confirm_forms=None, error=""):
    shared = selectors.shared_plan(user=request.user, participant=participant)
    answer_forms = answer_forms or {}
    confirm_forms = confirm_forms or {}
    for item in shared.requests:
        item.form = answer_forms.get(item.pk) or RequestAnswerForm(
            initial={"version": item.lock_version}, prefix=f"r{item.pk}"
        )
        item.may_answer = perms.can_answer_partner_request(request.user, item)
    for plan in shared.plans:
        for link in plan.other_plans.all():
            link.form = confirm_forms.get(link.pk) or LinkConfirmForm(
                initial={"status": link.status}, prefix=f"l{link.pk}"
            )
            link.may_confirm = plan_perms.can_confirm_plan_link(request.user, link)
    read_record(user=request.user, participant=participant, view="partner_shared_plan")
    context = {"shared": shared, "person": participant, "error": error}
    return render(request, "partners/person.html", context, status=status)


@require_safe
@rule_required(perms.can_use_partner_start)
def partner_person(request, pk):
    participant = get_object_or_404(selectors.partner_people(user=request.user), pk=pk)
    return _person_page(request, participant)


@require_POST
@rule_required(perms.can_use_partner_start)
def request_handle(request, pk):
    item = get_object_or_404(PartnerRequest.objects.visible_to(request.user), pk=pk)
    deny_unless(perms.can_answer_partner_request(request.user, item))
    form = RequestAnswerForm(request.POST, prefix=f"r{item.pk}")
    status, error = 400, ""
    if form.is_valid():
        try:
            services.partner_request_handle(
                request=item,
                by=request.user,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ConflictError as exc:
            status, error = 409, exc.message
        else:
            messages.success(request, _("Your answer was saved."))
            return redirect("partners:person", pk=item.participant_id)
    return _person_page(request, item.participant, status=status, answer_forms={item.pk: form}, error=error)


@require_POST
@rule_required(perms.can_use_partner_start)
def link_confirm(request, pk):
    link = get_object_or_404(OtherPlanLink.objects.visible_to(request.user).select_related("plan"), pk=pk)
    deny_unless(plan_perms.can_confirm_plan_link(request.user, link))
    participant = Participant.objects.get(pk=link.plan.participant_id)
    form = LinkConfirmForm(request.POST, prefix=f"l{link.pk}")
    if not form.is_valid():
        return _person_page(request, participant, status=400, confirm_forms={link.pk: form})
    plan_services.plan_link_confirm(link=link, by=request.user, status=form.cleaned_data["status"])
    messages.success(request, _("The link to your plan was confirmed."))
    return redirect("partners:person", pk=participant.pk)


# The coach's and caseworker's pages ---------------------------------------------------------------------


def _case_page(request, referral, *, meeting_form=None, request_form=None, status=200):
    user = request.user
    meetings, requests = selectors.partner_work_on_case(user=user, referral=referral)
    partners = selectors.partners_for(user=user, referral=referral)
    context = {
        "referral": referral,
        "person": referral.participant,
        "meetings": meetings,
        "requests": requests,
        "may_book": perms.can_book_partner_meeting(user, referral),
        "may_send": perms.can_send_partner_request(user, referral),
        "meeting_form": meeting_form or MeetingForm(partners=partners),
        "request_form": request_form or RequestForm(partners=partners),
    }
    read_record(user=user, participant=referral.participant, view="partner_case")
    return render(request, "partners/case.html", context, status=status)


def _referral(request, referral_pk):
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related("participant"), pk=referral_pk
    )


@require_safe
@rule_required(perms.can_view_partner_work)
def case(request, referral_pk):
    return _case_page(request, _referral(request, referral_pk))


@require_POST
@rule_required(perms.can_view_partner_work)
def meeting_new(request, referral_pk):
    referral = _referral(request, referral_pk)
    deny_unless(perms.can_book_partner_meeting(request.user, referral))
    form = MeetingForm(request.POST, partners=selectors.partners_for(user=request.user, referral=referral))
    if form.is_valid():
        try:
            services.partner_meeting_book(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting was booked; the partner sees the invitation."))
            return redirect("partners:case", referral_pk=referral.pk)
    return _case_page(request, referral, meeting_form=form, status=400)


@require_POST
@rule_required(perms.can_view_partner_work)
def request_new(request, referral_pk):
    referral = _referral(request, referral_pk)
    deny_unless(perms.can_send_partner_request(request.user, referral))
    form = RequestForm(request.POST, partners=selectors.partners_for(user=request.user, referral=referral))
    if form.is_valid():
        try:
            services.partner_request_send(referral=referral, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request was sent to the partner."))
            return redirect("partners:case", referral_pk=referral.pk)
    return _case_page(request, referral, request_form=form, status=400)


@rule_required(perms.can_view_partner_work)
def meeting_outcome(request, pk):
    meeting = get_object_or_404(
        PartnerMeeting.objects.visible_to(request.user).select_related(
            "referral", "participant", "organisation"
        ),
        pk=pk,
    )
    deny_unless(perms.can_record_meeting_outcome(request.user, meeting))
    form = OutcomeForm(request.POST or None, initial={"version": meeting.lock_version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.partner_meeting_outcome(
                    meeting=meeting,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                    outcome=form.cleaned_data["outcome"],
                    follow_ups=form.follow_ups(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ConflictError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request, _("The outcome was recorded; the follow-up actions are in the plan.")
                )
                return redirect("partners:case", referral_pk=meeting.referral_id)
    read_record(user=request.user, participant=meeting.participant, view="partner_meeting_outcome")
    return render(request, "partners/meeting_outcome.html", {"meeting": meeting, "form": form}, status=status)
