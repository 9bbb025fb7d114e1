"""Matcher pages: the employer register, vacancies (with ranked participants and explanations), the match
flow and recruitment events. Views parse input, call matching.services / selectors, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jobbtorg.audit.services import read_record, read_records
from jobbtorg.participants.models import Participant
from jobbtorg.taxonomy.selectors import groups_by_code, skills_by_id
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.listing import PAGE_PARAM, sorted_page
from jobbtorg.utils.views import deny_unless

from . import perms, selectors, services, workflow
from .constants import MatchStatus
from .explain import describe
from .forms import (
    AnswerForm,
    AttendeeForm,
    ContactForm,
    EmployerForm,
    OutcomeForm,
    ProposeForm,
    RecruitmentEventForm,
    VacancyFilterForm,
    VacancyForm,
)
from .models import Employer, Match, RecruitmentEvent, Vacancy


def _labels(codes) -> dict:
    return {code: group.label for code, group in groups_by_code(codes).items()}


# Employers --------------------------------------------------------------------------------------------------
@login_required
def employer_list(request):
    deny_unless(perms.can_view_matching(request.user))
    q = (request.GET.get("q") or "").strip()
    employers = Employer.objects.visible_to(request.user).annotate(
        open_vacancies=Count("vacancies", filter=Q(vacancies__status="open"))
    )
    if q:
        employers = employers.filter(
            Q(name__icontains=q) | Q(organisation_number__contains=q) | Q(city__icontains=q)
        )
    return render(
        request,
        "matching/employer_list.html",
        {"employers": employers[:200], "q": q, "can_manage": perms.can_manage_employers(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def employer_edit(request, pk=None):
    deny_unless(perms.can_manage_employers(request.user))
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk) if pk else None
    if request.method == "POST":
        form = EmployerForm(request.POST)
        if form.is_valid():
            try:
                employer = services.employer_save(by=request.user, employer=employer, **form.service_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The employer is saved."))
                return redirect("matching:employer", pk=employer.pk)
    else:
        initial = {}
        if employer is not None:
            initial = {
                name: getattr(employer, name) for name in EmployerForm.base_fields if hasattr(employer, name)
            }
            contact = employer.contacts.first()
            if contact:
                initial.update(
                    contact_name=contact.name,
                    contact_role=contact.role,
                    contact_email=contact.email,
                    contact_phone=contact.phone,
                )
        form = EmployerForm(initial=initial)
    return render(request, "matching/employer_form.html", {"form": form, "employer": employer})


@login_required
def employer_detail(request, pk):
    deny_unless(perms.can_view_matching(request.user))
    employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "matching/employer_detail.html",
        {
            "employer": employer,
            "contacts": employer.contacts.all(),
            "agreements": employer.agreements.all(),
            "vacancies": employer.vacancies.select_related("occupation"),
            "can_manage": perms.can_manage_employers(request.user),
        },
    )


# Vacancies --------------------------------------------------------------------------------------------------
# The columns of the vacancy list that sort (utils.listing): key in the URL → fields.
VACANCY_SORTS = {
    "title": ("title",),
    "employer": ("employer__name",),
    "kind": ("kind",),
    "hours": ("hours_per_week",),
    "places": ("places",),
    "deadline": ("deadline",),
    "status": ("status",),
    "created": ("created_at",),  # the default: newest first
}


@login_required
def vacancy_list(request):
    deny_unless(perms.can_view_matching(request.user))
    form = VacancyFilterForm(request.GET or None)
    vacancies = Vacancy.objects.visible_to(request.user).select_related("employer", "occupation")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            vacancies = vacancies.filter(
                Q(title__icontains=data["q"]) | Q(employer__name__icontains=data["q"])
            )
        if data["status"]:
            vacancies = vacancies.filter(status=data["status"])
        if data["kind"]:
            vacancies = vacancies.filter(kind=data["kind"])
        if data["occupation"]:
            vacancies = vacancies.filter(occupation__code__startswith=data["occupation"])
    listing = sorted_page(request, vacancies, sorts=VACANCY_SORTS, default="-created")
    return render(
        request,
        "matching/vacancy_list.html",
        {
            "vacancies": listing.page.object_list,
            "page": listing.page,
            "listing": listing,
            "form": form,
            "can_manage": perms.can_manage_employers(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def vacancy_edit(request, pk=None):
    deny_unless(perms.can_manage_employers(request.user))
    vacancy = None
    employer = None
    if pk:
        vacancy = get_object_or_404(
            Vacancy.objects.visible_to(request.user).select_related("employer", "occupation"), pk=pk
        )
        employer = vacancy.employer
    else:
        employer = get_object_or_404(
            Employer.objects.visible_to(request.user), pk=request.GET.get("employer")
        )
    if request.method == "POST":
        form = VacancyForm(request.POST)
        if form.is_valid():
            try:
                vacancy = services.vacancy_save(
                    by=request.user,
                    employer=employer if vacancy is None else None,
                    vacancy=vacancy,
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The vacancy is saved."))
                return redirect("matching:vacancy", pk=vacancy.pk)
    else:
        initial = (
            VacancyForm.initial_from(vacancy)
            if vacancy
            else {
                "postal_code": employer.postal_code,
                "city": employer.city,
                "hours_per_week": 40,
                "places": 1,
            }
        )
        form = VacancyForm(initial=initial)
    skill_names = {}
    if vacancy is not None:
        skill_names = {
            s.pk: s.name for s in skills_by_id([link.skill_id for link in vacancy.skill_links.all()]).values()
        }
    return render(
        request,
        "matching/vacancy_form.html",
        {"form": form, "vacancy": vacancy, "employer": employer, "skill_names": skill_names},
    )


CANDIDATES_RANKED = 100  # the best this many are ranked on the vacancy's page …
CANDIDATES_PER_PAGE = 10  # … ten a page


@login_required
def vacancy_detail(request, pk):
    """The vacancy with the participants of the matcher's unit ranked for it, each score explained, and
    those filtered out by a hard requirement with the reason ("why not")."""
    deny_unless(perms.can_view_matching(request.user))
    vacancy = get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related("employer", "occupation"), pk=pk
    )
    ranked, filtered = selectors.rank_participants_for_vacancy(
        vacancy=vacancy, user=request.user, k=CANDIDATES_RANKED
    )
    # The ranked candidates are paged in the URL (`?page=2`, issue 16: the list was ~13,000 px long); the page
    # shows (and logs reads of) one page of ranked people and at most 50 filtered out.
    page = Paginator(ranked, CANDIDATES_PER_PAGE).get_page(request.GET.get(PAGE_PARAM))
    ranked = list(page.object_list)
    filtered = filtered[:50]
    codes = {vacancy.occupation_id}
    for item in ranked + filtered:
        codes.update(item["mapping"].wanted_occupations or [])
    labels = _labels(codes)
    for item in ranked + filtered:
        item["described"] = describe(item["explanation"], labels)
    shown = [item["participant"] for item in ranked + filtered]
    read_records(user=request.user, participants=shown, view="vacancy_ranking")
    proposed = set(
        vacancy.matches.exclude(status__in=["participant_declined", "rejected", "withdrawn"]).values_list(
            "participant_id", flat=True
        )
    )
    skills = list(vacancy.skill_links.select_related("skill"))
    return render(
        request,
        "matching/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "skills": skills,
            "ranked": ranked,
            "page": page,
            "filtered": filtered,
            "proposed": proposed,
            "matches": vacancy.matches.visible_to(request.user).select_related("participant"),
            "can_propose": perms.can_propose_match(request.user) and vacancy.status == "open",
            "can_manage": perms.can_manage_employers(request.user),
        },
    )


@require_POST
@login_required
def vacancy_propose(request, pk):
    deny_unless(perms.can_propose_match(request.user))
    vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a person to propose."))
        return redirect("matching:vacancy", pk=vacancy.pk)
    participant = Participant.objects.filter(pk=form.cleaned_data["participant"]).first()
    if participant is None:
        raise PermissionDenied
    try:
        match = services.match_propose(
            participant=participant, vacancy=vacancy, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:vacancy", pk=vacancy.pk)
    messages.success(request, _("The match is proposed. Inform the participant and record their answer."))
    return redirect("matching:match", pk=match.pk)


# Matches ----------------------------------------------------------------------------------------------------
@require_safe
@login_required
def person_vacancies(request, participant_pk):
    """From a person's page: the open vacancies ranked for them, each score explained as on the vacancy's
    candidate list; a vacancy the person fails a hard requirement of is never listed as a match — the
    scoring leaves it out, and should one come back anyway it is shown only with its "why not"."""
    deny_unless(perms.can_view_matching(request.user))
    participant = get_object_or_404(Participant.objects.visible_to(request.user), pk=participant_pk)
    items = selectors.rank_vacancies_for_participant(participant=participant, user=request.user, k=20)
    labels = _labels({item["vacancy"].occupation_id for item in items})
    for item in items:
        item["described"] = describe(item["explanation"], labels)
    read_record(user=request.user, participant=participant, view="vacancy_ranking")
    proposed = set(
        Match.objects.filter(participant=participant, vacancy__in=[item["vacancy"] for item in items])
        .exclude(status__in=["participant_declined", "rejected", "withdrawn"])
        .values_list("vacancy_id", flat=True)
    )
    return render(
        request,
        "matching/person_vacancies.html",
        {
            "participant": participant,
            "ranked": [item for item in items if item["described"]["eligible"]],
            "not_eligible": [item for item in items if not item["described"]["eligible"]],
            "proposed": proposed,
            "can_propose": perms.can_propose_match(request.user),
        },
    )


def _match_in_scope(user, pk) -> Match:
    return get_object_or_404(
        Match.objects.visible_to(user).select_related(
            "participant", "vacancy__employer", "vacancy__occupation", "proposed_by"
        ),
        pk=pk,
    )


@login_required
def match_detail(request, pk):
    deny_unless(perms.can_view_matches(request.user))
    match = _match_in_scope(request.user, pk)
    read_record(user=request.user, participant=match.participant, view="match")
    return _render_match(request, match)


def _render_match(request, match, *, answer=None, contact=None, outcome=None, status=200):
    wanted = (match.explanation.get("components") or [{}])[0].get("detail", {}).get("wanted")
    labels = _labels({match.vacancy.occupation_id, wanted} - {None})
    nxt = workflow.allowed_next(match.status)
    version = {"version": match.lock_version}
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "described": describe(match.explanation, labels),
            "events": match.events.select_related("by"),
            "can_act": perms.can_propose_match(request.user),
            "answer_form": answer
            or (AnswerForm(initial=version) if MatchStatus.PARTICIPANT_AGREED in nxt else None),
            "contact_form": contact
            or (ContactForm(initial=version) if MatchStatus.EMPLOYER_CONTACTED in nxt else None),
            "outcome_form": outcome
            or (
                OutcomeForm(
                    initial={
                        **version,
                        "hours_per_week": match.vacancy.hours_per_week,
                        "start_date": match.vacancy.start_date,
                        "supported_employment": match.supported_employment,
                    }
                )
                if MatchStatus.REJECTED in nxt
                else None
            ),
            "can_withdraw": MatchStatus.WITHDRAWN in nxt,
        },
        status=status,
    )


def _match_action(request, pk, form_class, call, slot):
    deny_unless(perms.can_propose_match(request.user))
    match = _match_in_scope(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(match, form.cleaned_data)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("matching:match", pk=match.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("matching:match", pk=match.pk)
    match.refresh_from_db()
    return _render_match(request, match, status=400, **{slot: form})


@require_POST
@login_required
def match_answer(request, pk):
    def call(match, data):
        services.match_participant_answer(
            match=match, by=request.user, agreed=data["agreed"], version=data["version"], note=data["note"]
        )

    return _match_action(request, pk, AnswerForm, call, "answer")


@require_POST
@login_required
def match_contacted(request, pk):
    def call(match, data):
        services.match_employer_contacted(
            match=match, by=request.user, version=data["version"], note=data["note"]
        )

    return _match_action(request, pk, ContactForm, call, "contact")


@require_POST
@login_required
def match_outcome(request, pk):
    def call(match, data):
        services.match_outcome(
            match=match,
            by=request.user,
            outcome=data["outcome"],
            version=data["version"],
            note=data["note"],
            rejection_reason=data["rejection_reason"],
            interview_at=data["interview_at"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            hours_per_week=data["hours_per_week"],
            employment_form=data["employment_form"],
            supported_employment=data["supported_employment"],
            support_hours_per_week=data["support_hours_per_week"],
        )

    return _match_action(request, pk, OutcomeForm, call, "outcome")


@require_POST
@login_required
def match_withdraw(request, pk):
    def call(match, data):
        services.match_withdraw(match=match, by=request.user, version=data["version"], note=data["note"])

    return _match_action(request, pk, ContactForm, call, "contact")


@login_required
def match_list(request):
    deny_unless(perms.can_view_matches(request.user))
    matches = (
        Match.objects.visible_to(request.user)
        .select_related("participant", "vacancy__employer")
        .order_by("-proposed_at")[:200]
    )
    matches = list(matches)
    read_records(user=request.user, participants=[m.participant for m in matches], view="match_list")
    return render(request, "matching/match_list.html", {"matches": matches})


# Recruitment events -----------------------------------------------------------------------------------------
@login_required
def event_list(request):
    deny_unless(perms.can_view_matching(request.user))
    events = (
        RecruitmentEvent.objects.visible_to(request.user)
        .select_related("employer")
        .annotate(
            invited=Count("attendees"), attended=Count("attendees", filter=Q(attendees__status="attended"))
        )
    )
    return render(
        request,
        "matching/event_list.html",
        {"events": events, "can_manage": perms.can_manage_employers(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request, pk=None):
    deny_unless(perms.can_manage_employers(request.user))
    event = get_object_or_404(RecruitmentEvent.objects.visible_to(request.user), pk=pk) if pk else None
    employers = list(Employer.objects.visible_to(request.user))
    if request.method == "POST":
        form = RecruitmentEventForm(request.POST, employers=employers)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["employer"] = next(e for e in employers if str(e.pk) == data["employer"])
            vacancy_ids = request.POST.getlist("vacancies")
            vacancies = list(data["employer"].vacancies.filter(pk__in=vacancy_ids)) if vacancy_ids else []
            try:
                event = services.recruitment_event_save(
                    by=request.user, event=event, vacancies=vacancies, **data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The recruitment event is saved."))
                return redirect("matching:event", pk=event.pk)
    else:
        initial = {}
        if event:
            initial = {
                "employer": str(event.employer_id),
                "title": event.title,
                "date": event.date,
                "place": event.place,
                "status": event.status,
                "outcome_note": event.outcome_note,
            }
        form = RecruitmentEventForm(initial=initial, employers=employers)
    return render(request, "matching/event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
@login_required
def event_detail(request, pk):
    deny_unless(perms.can_view_matching(request.user))
    event = get_object_or_404(
        RecruitmentEvent.objects.visible_to(request.user).select_related("employer"), pk=pk
    )
    if request.method == "POST":
        deny_unless(perms.can_propose_match(request.user))
        form = AttendeeForm(request.POST)
        if form.is_valid():
            participant = Participant.objects.filter(pk=form.cleaned_data["participant"]).first()
            if participant is None:
                raise PermissionDenied
            try:
                services.recruitment_attendee_set(
                    event=event,
                    participant=participant,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    outcome=form.cleaned_data["outcome"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
        return redirect("matching:event", pk=event.pk)
    attendees = list(event.attendees.visible_to(request.user).select_related("participant"))
    read_records(user=request.user, participants=[a.participant for a in attendees], view="recruitment_event")
    invited = {a.participant_id for a in attendees}
    candidates = [
        m.participant
        for m in selectors.unit_candidates(user=request.user)[:300]
        if m.participant_id not in invited
    ]
    return render(
        request,
        "matching/event_detail.html",
        {
            "event": event,
            "attendees": attendees,
            "candidates": candidates,
            "vacancies": event.vacancies.select_related("occupation"),
            "attendee_form": AttendeeForm(),
            "can_act": perms.can_propose_match(request.user),
            "can_manage": perms.can_manage_employers(request.user),
        },
    )
