"""The participant view (Mina sidor): the person's own plan and week, meetings, providers, consent and
provider choice — in plain words. A person only ever sees themselves; staff are turned away (403)."""

import datetime
from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobbtorg.attendance import perms as attendance_perms
from jobbtorg.attendance.models import ReportedAbsence
from jobbtorg.attendance.services import PARTICIPANT_ABSENCE_REASONS, absence_report
from jobbtorg.audit.services import read_record
from jobbtorg.interventions.models import InterventionType
from jobbtorg.journal import perms as journal_perms
from jobbtorg.journal import selectors as journal_selectors
from jobbtorg.journal.forms import MessageForm, NoticePreferenceForm
from jobbtorg.journal.models import NoticePreference
from jobbtorg.journal.services import message_send, notice_preference_set
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.selectors import consent_current
from jobbtorg.participants.services import consent_record, participant_language_set
from jobbtorg.plans import perms as plan_perms
from jobbtorg.plans import selectors as plan_selectors
from jobbtorg.plans.services import plan_agree, plan_comment_add
from jobbtorg.plans.views.plan_views import pdf_language, plan_pdf_response
from jobbtorg.providers.constants import ChoiceStatus
from jobbtorg.providers.models import Assignment, ChoiceRequest
from jobbtorg.providers.selectors import choice_comparison
from jobbtorg.providers.views_choice import choose
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.languages import LOCAL_NAMES, PARTICIPANT_LANGUAGES
from jobbtorg.utils.views import deny_unless, rule_required

from . import selectors

# Authentication ---------------------------------------------------------------------------------------------


def participant_required(view: Callable) -> Callable:
    """The one place where the participant view decides who the visitor is.

    Today (demo): a signed-in user with the role "participant" whose `User.participant` points to their
    person. Anonymous visitors go to the login page; anyone else (staff, provider staff) gets 403.
    The person is put on `request.participant`; every page reads only that person's data.

    BankID/OIDC later: the login page and this function change (e.g. the person is resolved from the
    verified identity in the session set by the OIDC callback); the pages themselves stay the same.
    """

    @rule_required(_is_participant)
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.participant = request.user.participant
        return view(request, *args, **kwargs)

    return wrapper


def _is_participant(user) -> bool:
    """The participant view is for a person signed in as themselves (the role predicate of accounts.User)."""
    return user.is_participant


# Consent texts in plain words -------------------------------------------------------------------------------

CONSENT_TEXTS = {
    ConsentScope.DISTRICT_JOBBTORG: {
        "title": gettext_lazy("Social services and the Jobbtorg"),
        "meaning": gettext_lazy(
            "Your social services officer and the Jobbtorg may talk to each other about you. "
            "Then they can plan your support together."
        ),
        "withdraw": gettext_lazy(
            "Social services and the Jobbtorg will no longer share information about you. "
            "Your time at the Jobbtorg ends, and so do your activities with providers; your social services "
            "officer is told. To come back later, you need a new referral."
        ),
    },
    ConsentScope.JOBBTORG_PROVIDER: {
        "title": gettext_lazy("The Jobbtorg and your provider"),
        "meaning": gettext_lazy(
            "The Jobbtorg and the provider you go to may share information about you. "
            "For example your plan and if you have been there."
        ),
        "withdraw": gettext_lazy("The provider will no longer see your information."),
    },
    ConsentScope.EMPLOYMENT_SERVICE: {
        "title": gettext_lazy("Arbetsförmedlingen"),
        "meaning": gettext_lazy("The Jobbtorg and Arbetsförmedlingen may share information about you."),
        "withdraw": gettext_lazy(
            "The Jobbtorg and Arbetsförmedlingen will no longer share information about you."
        ),
    },
    ConsentScope.SOCIAL_INSURANCE: {
        "title": gettext_lazy("Försäkringskassan"),
        "meaning": gettext_lazy("The Jobbtorg and Försäkringskassan may share information about you."),
        "withdraw": gettext_lazy(
            "The Jobbtorg and Försäkringskassan will no longer share information about you."
        ),
    },
    ConsentScope.ADULT_EDUCATION: {
        "title": gettext_lazy("Adult education (SFI and Komvux)"),
        "meaning": gettext_lazy("The Jobbtorg and your school for adults may share information about you."),
        "withdraw": gettext_lazy(
            "The Jobbtorg and your school for adults will no longer share information about you."
        ),
    },
}


class ConsentForm(forms.Form):
    WITHDRAW, GIVE = "withdraw", "give"

    scope = forms.ChoiceField(
        choices=[(scope, label) for scope, label in ConsentScope.choices if scope in CONSENT_TEXTS],
        widget=forms.HiddenInput,
    )
    action = forms.ChoiceField(choices=[(WITHDRAW, WITHDRAW), (GIVE, GIVE)], widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


# Pages ------------------------------------------------------------------------------------------------------


def _week_start(value: str | None) -> datetime.date:
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return selectors.monday_of(day)


@participant_required
def home(request):
    """My page: the plan in force, this week, meetings, providers and any provider choice to make."""
    participant = request.participant
    plans = selectors.plans_in_force(participant=participant)
    read_record(user=request.user, participant=participant, view="portal_home")
    week_start = _week_start(request.GET.get("week"))
    context = {
        "portal_page": "home",
        "participant": participant,
        "plans": plans,
        "schedule": selectors.week_schedule(participant=participant, plans=plans, week_start=week_start),
        "this_week": week_start == selectors.monday_of(timezone.localdate()),
        "meetings": selectors.upcoming_meetings(participant=participant),
        "assignments": selectors.current_providers(participant=participant),
        "choices": selectors.open_choices(participant=participant),
        "plan_waiting": plan_selectors.plan_agreement_state(
            plan_selectors.participant_plan(participant=participant)
        ).waiting,
    }
    return render(request, "portal/home.html", context)


@participant_required
def consent(request):
    """My consent: what each one means, whether it is given, and a way to withdraw it (after a confirmation)
    or give it again."""
    participant = request.participant
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Something went wrong. Please try again."))
            return redirect("portal:consent")
        scope, action = form.cleaned_data["scope"], form.cleaned_data["action"]
        texts = CONSENT_TEXTS[scope]
        if action == ConsentForm.WITHDRAW and not form.cleaned_data["confirmed"]:
            read_record(user=request.user, participant=participant, view="portal_consent")
            return render(request, "portal/consent_confirm.html", {"scope": scope, "texts": texts})
        status = ConsentStatus.WITHDRAWN if action == ConsentForm.WITHDRAW else ConsentStatus.GIVEN
        current = consent_current(participant=participant, scope=scope)
        if current is not None and current.status == status:
            return redirect("portal:consent")  # already so (e.g. the form was sent twice)
        try:
            consent_record(participant=participant, status=status, by=request.user, scope=scope)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if status == ConsentStatus.WITHDRAWN:
                messages.success(
                    request, _("You have withdrawn your consent: %(title)s.") % {"title": texts["title"]}
                )
            else:
                messages.success(
                    request, _("You have given your consent: %(title)s.") % {"title": texts["title"]}
                )
        return redirect("portal:consent")

    read_record(user=request.user, participant=participant, view="portal_consent")
    rows = [
        {
            "scope": scope,
            "consent": current,
            "given": bool(current and current.status == ConsentStatus.GIVEN),
            **CONSENT_TEXTS[scope],
        }
        for scope, current in selectors.consents(participant=participant)
    ]
    return render(
        request, "portal/consent.html", {"portal_page": "consent", "participant": participant, "rows": rows}
    )


@participant_required
def choose_provider(request, pk):
    """The person's own provider choice: the same comparison the coach sees; choosing calls choice_make."""
    participant = request.participant
    choice = get_object_or_404(
        ChoiceRequest.objects.select_related("referral__unit__municipality", "intervention_type"),
        pk=pk,
        participant=participant,
    )
    rows = choice_comparison(
        municipality=choice.referral.unit.municipality,
        intervention_type=choice.intervention_type,
        on=timezone.localdate(),
    )
    if request.method == "POST":
        if choose(request, choice, rows, with_coach=False) is not None:
            return redirect("portal:home")
        return redirect("portal:choose", pk=choice.pk)
    read_record(user=request.user, participant=participant, view="portal_choose")
    is_open = choice.status == ChoiceStatus.OPEN
    context = {
        "choice": choice,
        "rows": rows,
        "is_open": is_open,
        "can_choose": is_open,
        "assignment": Assignment.objects.filter(choice=choice).select_related("provider").first(),
        "minimum": settings.JOBBTORG_COMPARISON_MIN_COUNT,
    }
    return render(request, "portal/choose.html", context)


# Messages and absence (issue 16) ----------------------------------------------------------------------------


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AbsenceForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why are you away?"),
        choices=[(r.value, r.label) for r in PARTICIPANT_ABSENCE_REASONS],
        widget=forms.RadioSelect,
    )
    first_day = forms.DateField(label=gettext_lazy("First day"), widget=DATE)
    last_day = forms.DateField(label=gettext_lazy("Last day"), widget=DATE)
    note = forms.CharField(
        label=gettext_lazy("Message to your coach and provider (optional)"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Do not write about your health: it is enough to say that you are sick."),
    )


@participant_required
def absence(request):
    """Report that I am away today or on coming days; my provider and coach see it at once."""
    participant = request.participant
    today = timezone.localdate()
    may_report = attendance_perms.can_report_own_absence(request.user, participant)
    form = AbsenceForm(request.POST or None, initial={"first_day": today, "last_day": today})
    if request.method == "POST":
        deny_unless(may_report)
        if form.is_valid():
            try:
                absence_report(participant=participant, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Thank you. Your coach and your provider can now see that you are away.")
                )
                return redirect("portal:absence")
    read_record(user=request.user, participant=participant, view="portal_absence")
    context = {
        "portal_page": "absence",
        "participant": participant,
        "form": form,
        "may_report": may_report,
        "absences": ReportedAbsence.objects.filter(participant=participant).order_by(
            "-first_day", "-reported_at"
        )[:20],
    }
    return render(request, "portal/absence.html", context, status=400 if form.errors else 200)


@participant_required
def conversation(request):
    """My messages with the Jobbtorg, and how I want to be told about new ones."""
    participant = request.participant
    user = request.user
    referral = journal_selectors.case_referral_for(user=user, participant=participant)
    may_send = journal_perms.can_send_message(user, referral)
    sending = request.method == "POST" and "channel" not in request.POST
    form = MessageForm(request.POST if sending else None)
    preference = NoticePreference.objects.filter(participant=participant).first()
    preference_form = NoticePreferenceForm(
        request.POST if "channel" in request.POST else None,
        initial={"channel": preference.channel if preference else None},
    )
    if request.method == "POST":
        if not sending:
            if preference_form.is_valid():
                notice_preference_set(
                    participant=participant, channel=preference_form.cleaned_data["channel"], by=user
                )
                messages.success(request, _("Your choice was saved."))
                return redirect("portal:messages")
        else:
            deny_unless(may_send)
            if form.is_valid():
                try:
                    message_send(referral=referral, body=form.cleaned_data["body"], by=user)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("Your message was sent."))
                    return redirect("portal:messages")
    read_record(user=user, participant=participant, view="portal_messages")
    context = {
        "portal_page": "messages",
        "participant": participant,
        "thread": journal_selectors.thread(user=user, participant=participant),
        "may_send": may_send,
        "form": form if form.is_bound else MessageForm(),
        "preference": preference,
        "preference_form": preference_form,
    }
    status = 400 if (form.errors or preference_form.errors) else 200
    return render(request, "portal/messages.html", context, status=status)


# My plan: read it, comment, propose an activity, agree (issue 16) ------------------------------------------


class PlanCommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Your job coach reads it. Do not write about your health."),
    )


class ActivityProposalForm(forms.Form):
    intervention_type = forms.ModelChoiceField(
        label=gettext_lazy("Activity you want to do"),
        queryset=InterventionType.objects.filter(active=True).order_by("name"),
        empty_label=gettext_lazy("Choose an activity"),
    )
    hours_per_week = forms.DecimalField(
        label=gettext_lazy("Hours a week (optional)"),
        required=False,
        min_value=0,
        max_value=40,
        decimal_places=1,
    )
    body = forms.CharField(
        label=gettext_lazy("Why do you want it? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AgreeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


@participant_required
def plan(request):
    """My plan: the version proposed to me (or the one in force), what I and my coach wrote about it, and
    the button to agree to it. A change after I agreed voids my agreement, and the page says so."""
    participant = request.participant
    current = plan_selectors.participant_plan(participant=participant)
    comment_form = PlanCommentForm(prefix="comment")
    activity_form = ActivityProposalForm(prefix="activity")
    conflict, status = None, 200
    if request.method == "POST" and current is None:
        conflict, status = _("There is no proposed plan to agree to right now."), 400
    elif request.method == "POST":
        deny_unless(plan_perms.can_agree_to_plan(request.user, current))
        action = request.POST.get("action")
        try:
            if action == "agree":
                form = AgreeForm(request.POST)
                if not form.is_valid():
                    return HttpResponseBadRequest(_("Reload the page and try again."))
                plan_agree(plan=current, by=request.user, version=form.cleaned_data["version"])
                messages.success(request, _("Thank you. You have agreed to your plan."))
                return redirect("portal:plan")
            if action == "comment":
                comment_form = PlanCommentForm(request.POST, prefix="comment")
                if comment_form.is_valid():
                    plan_comment_add(plan=current, by=request.user, body=comment_form.cleaned_data["body"])
                    messages.success(request, _("Your comment was sent to your job coach."))
                    return redirect("portal:plan")
            elif action == "activity":
                activity_form = ActivityProposalForm(request.POST, prefix="activity")
                if activity_form.is_valid():
                    data = activity_form.cleaned_data
                    plan_comment_add(
                        plan=current,
                        by=request.user,
                        body=data["body"],
                        intervention_type=data["intervention_type"].pk,
                        hours_per_week=data["hours_per_week"],
                    )
                    messages.success(request, _("Your proposal was sent to your job coach."))
                    return redirect("portal:plan")
            else:
                return HttpResponseBadRequest(_("Reload the page and try again."))
        except ConflictError:
            conflict = _("Your plan was changed while you were reading it. Read it again before you agree.")
            status = 409
        except ValidationError as error:
            if action == "agree":
                conflict = " ".join(error.messages)
            else:
                add_service_errors(comment_form if action == "comment" else activity_form, error)
        if status == 200:
            status = 400
        current = plan_selectors.participant_plan(participant=participant)
    read_record(user=request.user, participant=participant, view="portal_plan")
    state = plan_selectors.plan_agreement_state(current)
    context = {
        "portal_page": "plan",
        "participant": participant,
        "plan": current,
        "agreement": state,
        "content": plan_selectors.content_for_display(state.version.content) if state.version else None,
        "comments": plan_selectors.plan_comments(current),
        "comment_form": comment_form,
        "activity_form": activity_form,
        "conflict": conflict,
    }
    return render(request, "portal/plan.html", context, status=status)


@participant_required
def plan_pdf(request):
    """My plan as a PDF in my language (the one on my record), or the one `?lang=` names."""
    participant = request.participant
    current = plan_selectors.participant_plan(participant=participant)
    document = plan_selectors.plan_document(current) if current is not None else None
    if document is None:
        raise Http404
    language = pdf_language(request, default=participant.language)
    if language is None:
        return HttpResponseBadRequest(_("Unknown language."))
    read_record(user=request.user, participant=participant, view="portal_plan_pdf")
    return plan_pdf_response(document, language)


# Language (issue 17) ----------------------------------------------------------------------------------------


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[(code, LOCAL_NAMES[code]) for code in PARTICIPANT_LANGUAGES],
        widget=forms.RadioSelect,
    )


@participant_required
def language(request):
    """My language: the portal, reminders, notices and my printed plan use it (stored on my record; the
    header's language switch posts here too). Also sets the language cookie, so the sign-in page speaks it
    after signing out."""
    participant = request.participant
    form = LanguageForm(request.POST or None, initial={"language": participant.language})
    if request.method == "POST" and form.is_valid():
        participant_language_set(
            participant=participant, language=form.cleaned_data["language"], by=request.user
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("portal:home")
        response = redirect(target)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            participant.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    context = {"portal_page": "language", "participant": participant, "form": form}
    return render(request, "portal/language.html", context, status=400 if form.errors else 200)


# Accessibility statement (issue 17) ------------------------------------------------------------------------


def accessibility_statement(request):
    """The accessibility statement (tillgänglighetsredogörelse) that lag (2018:1937) om tillgänglighet till
    digital offentlig service requires: public, linked from every page's footer, in every participant
    language. The contact comes from settings (JOBBTORG_ACCESSIBILITY_CONTACT_*)."""
    context = {
        "contact_email": settings.JOBBTORG_ACCESSIBILITY_CONTACT_EMAIL,
        "contact_phone": settings.JOBBTORG_ACCESSIBILITY_CONTACT_PHONE,
        "reviewed": settings.JOBBTORG_ACCESSIBILITY_REVIEWED,
    }
    return render(request, "portal/accessibility.html", context)
