"""Writes for matching: the employer register, vacancies, match proposals and their flow, recruitment
events. Every write is one transaction, validates, and leaves an audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.constants import PlacementKind
from jobbtorg.providers.validators import organisation_number_normalize
from jobbtorg.taxonomy.models import OccupationGroup
from jobbtorg.taxonomy.selectors import unknown_skill_ids
from jobbtorg.utils.locking import version_claim

from . import perms, workflow
from .constants import EmploymentForm, InternshipLevel, VacancyStatus
from .constants import MatchStatus as S
from .models import (
    Employer,
    EmployerAgreement,
    EmployerContact,
    Match,
    MatchEvent,
    RecruitmentAttendee,
    RecruitmentEvent,
    Vacancy,
    VacancySkill,
)
from .selectors import explain_pair
from .vacancy_table import vacancies_changed

EMPLOYER_FIELDS = (
    "organisation_number",
    "name",
    "sector",
    "is_city",
    "address",
    "postal_code",
    "city",
    "notes",
)
VACANCY_FIELDS = (
    "kind",
    "internship_level",
    "title",
    "description",
    "occupation",
    "swedish_level",
    "driving_licence_required",
    "hours_per_week",
    "postal_code",
    "city",
    "start_date",
    "places",
    "deadline",
    "status",
    "supported_employment",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))


# --- employers ---------------------------------------------------------------------------------------------
@transaction.atomic
def employer_save(
    *, by, employer: Employer | None = None, contacts: list[dict] | None = None, **values
) -> Employer:
    """Create or update an employer of the matcher's municipality (organisation number validated)."""
    _require(perms.can_manage_employers(by))
    created = employer is None
    if created:
        employer = Employer(municipality_id=by.municipality_id)
    else:
        _require(perms.can_manage_employer(by, employer))
    errors = {}
    if "organisation_number" in values or created:
        try:
            values["organisation_number"] = organisation_number_normalize(
                values.get("organisation_number", "")
            )
        except ValidationError as exc:
            errors["organisation_number"] = exc.messages
    for name in EMPLOYER_FIELDS:
        if name in values and name not in errors:
            setattr(employer, name, values[name])
    try:
        employer.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    employer.save()
    if contacts is not None:
        rows = []
        for index, data in enumerate(contacts):
            contact = EmployerContact(
                employer=employer, **{k: data.get(k) or "" for k in ("name", "role", "email", "phone")}
            )
            try:
                contact.full_clean()
            except ValidationError as exc:
                raise ValidationError(
                    {f"contacts[{index}].{f}": m for f, m in exc.message_dict.items()}
                ) from exc
            rows.append(contact)
        employer.contacts.all().delete()
        EmployerContact.objects.bulk_create(rows)
    change_record(action="employer_created" if created else "employer_updated", obj=employer, by=by)
    return employer


@transaction.atomic
def employer_agreement_add(*, employer: Employer, by, **values) -> EmployerAgreement:
    _require(perms.can_manage_employers(by))
    agreement = EmployerAgreement(employer=employer, **values)
    agreement.full_clean()
    agreement.save()
    change_record(action="employer_agreement_added", obj=employer, by=by, changes={"kind": agreement.kind})
    return agreement


# --- vacancies ---------------------------------------------------------------------------------------------
def _occupation(value) -> OccupationGroup:
    if value in (None, ""):
        raise ValidationError(
            {"occupation": _("A vacancy needs an occupation (SSYK 2012 code, four digits).")}
        )
    code = value.pk if isinstance(value, OccupationGroup) else str(value).strip()
    group = OccupationGroup.objects.filter(pk=code, level=4).first()
    if group is None:
        raise ValidationError(
            {"occupation": _("Unknown SSYK 2012 occupation group: %(code)s") % {"code": code}}
        )
    return group


def _skill_rows(skills: list[dict]) -> list[tuple[int, bool]]:
    pairs = []
    for item in skills:
        if isinstance(item, dict):
            pairs.append((item.get("skill"), bool(item.get("required"))))
        else:
            pairs.append((item, False))
    unknown = unknown_skill_ids([p[0] for p in pairs])
    if unknown:
        raise ValidationError(
            {"skills": _("Unknown skill: %(values)s") % {"values": ", ".join(map(str, unknown))}}
        )
    merged: dict[int, bool] = {}
    for skill, required in pairs:
        merged[skill] = merged.get(skill, False) or required
    return list(merged.items())


@transaction.atomic
def vacancy_save(
    *,
    by,
    employer: Employer | None = None,
    vacancy: Vacancy | None = None,
    skills: list | None = None,
    **values,
) -> Vacancy:
    """Create (give `employer`) or update (give `vacancy`) a vacancy. `skills`: [{"skill": id, "required":
    bool}] or ids (merits). The occupation must be a known 4-digit SSYK 2012 group."""
    _require(perms.can_manage_employers(by))
    created = vacancy is None
    if created:
        if employer is None or employer.municipality_id != by.municipality_id:
            raise ValidationError({"employer": _("Choose an employer from the register.")})
        vacancy = Vacancy(employer=employer, created_by=by)
    else:
        _require(perms.can_manage_employer(by, vacancy.employer))
    if created or "occupation" in values:
        values["occupation"] = _occupation(values.get("occupation"))
    skill_rows = _skill_rows(skills) if skills is not None else None
    for name in VACANCY_FIELDS:
        if name in values:
            setattr(
                vacancy,
                name,
                values[name]
                if values[name] is not None or name in ("start_date", "deadline")
                else getattr(vacancy, name),
            )
    if vacancy.kind != PlacementKind.INTERNSHIP:
        vacancy.internship_level = ""
    vacancy.full_clean(exclude=["employer", "created_by"])
    vacancy.save()
    if skill_rows is not None:
        vacancy.skill_links.all().delete()
        VacancySkill.objects.bulk_create(
            [VacancySkill(vacancy=vacancy, skill_id=s, required=r) for s, r in skill_rows]
        )
    change_record(action="vacancy_created" if created else "vacancy_updated", obj=vacancy, by=by)
    return vacancy


# --- matches -----------------------------------------------------------------------------------------------
def _participant_for(by, participant):
    Participant = apps.get_model("participants", "Participant")
    if not Participant.objects.visible_to(by).filter(pk=participant.pk).exists():
        raise PermissionDenied(
            _("This person is not one of your unit's participants; you cannot propose them.")
        )


def _event(match: Match, *, by, from_status: str, note: str = "") -> None:
    MatchEvent.objects.create(match=match, from_status=from_status, to_status=match.status, note=note, by=by)
    change_record(
        action=f"match_{match.status}",
        obj=match,
        by=by,
        participant=match.participant,
        changes={"status": {"from": from_status, "to": match.status}, **({"note": note} if note else {})},
    )


@transaction.atomic
def match_propose(*, participant, vacancy: Vacancy, by, note: str = "") -> Match:
    """The matcher proposes a person of their unit for an open vacancy; the score and its explanation are
    kept as a snapshot. Refused for a person outside the matcher's unit or a vacancy filtered out by a hard
    requirement."""
    _require(perms.can_propose_match(by))
    _participant_for(by, participant)
    if not Vacancy.objects.visible_to(by).filter(pk=vacancy.pk).exists():
        raise PermissionDenied(_("You do not have permission to do this."))
    if vacancy.status != VacancyStatus.OPEN:
        raise ValidationError({"vacancy": _("The vacancy is not open.")})
    explanation = explain_pair(participant=participant, vacancy=vacancy)
    if not explanation["eligible"]:
        raise ValidationError(
            {"vacancy": _("The person does not meet the vacancy's hard requirements (see why not).")}
        )
    match = Match(
        participant=participant,
        vacancy=vacancy,
        proposed_by=by,
        score=Decimal(str(round(explanation["score"], 2))),
        explanation=explanation,
        supported_employment=vacancy.supported_employment,
    )
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"participant": _("This person is already proposed for this vacancy.")}
        ) from exc
    MatchEvent.objects.create(match=match, from_status="", to_status=match.status, note=note, by=by)
    change_record(
        action="match_proposed",
        obj=match,
        by=by,
        participant=participant,
        changes={"score": str(match.score)},
    )
    return match


def _transition(match: Match, *, by, to: str, version: int | None) -> str:
    _require(perms.can_propose_match(by))
    _participant_for(by, match.participant)
    version_claim(match, version)
    workflow.check_transition(match.status, to)
    before = match.status
    match.status = to
    return before


@transaction.atomic
def match_participant_answer(
    *, match: Match, by, agreed: bool, version: int | None = None, note: str = ""
) -> Match:
    """Record the participant's answer after being informed of the proposal."""
    before = _transition(
        match, by=by, to=S.PARTICIPANT_AGREED if agreed else S.PARTICIPANT_DECLINED, version=version
    )
    match.save(update_fields=["status", "updated_at"])
    _event(match, by=by, from_status=before, note=note)
    return match


@transaction.atomic
def match_employer_contacted(*, match: Match, by, version: int | None = None, note: str = "") -> Match:
    before = _transition(match, by=by, to=S.EMPLOYER_CONTACTED, version=version)
    match.save(update_fields=["status", "updated_at"])
    _event(match, by=by, from_status=before, note=note)
    return match


@transaction.atomic
def match_withdraw(*, match: Match, by, version: int | None = None, note: str = "") -> Match:
    before = _transition(match, by=by, to=S.WITHDRAWN, version=version)
    match.save(update_fields=["status", "updated_at"])
    _event(match, by=by, from_status=before, note=note)
    return match


def _activity_code(match: Match) -> str:
    vacancy = match.vacancy
    if match.supported_employment:
        return "supported_employment"
    if vacancy.kind == PlacementKind.WORK_TRAINING:
        return "work_training"
    if vacancy.kind == PlacementKind.INTERNSHIP:
        return {
            InternshipLevel.LANGUAGE: "language_internship",
            InternshipLevel.WORK_TRAINING: "training_internship",
        }.get(vacancy.internship_level, "job_internship")
    return "job_matching"


@transaction.atomic
def match_outcome(
    *,
    match: Match,
    by,
    outcome: str,
    version: int | None = None,
    note: str = "",
    rejection_reason: str = "",
    interview_at: datetime.datetime | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    hours_per_week: int | None = None,
    employment_form: str = "",
    supported_employment: bool | None = None,
    support_hours_per_week: Decimal | None = None,
) -> Match:
    """The employer's answer: interview, hired, internship started or rejected (a reason is required).
    A hire or an internship start records start date, hours and form of employment on the match (read by
    the exit recording through `selectors.hires_for_participant`) and adds the activity to the person's
    action plan through the plans services."""
    if outcome not in workflow.OUTCOMES:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    errors = {}
    if outcome == S.REJECTED and not rejection_reason:
        errors["rejection_reason"] = _("Give the reason for the rejection.")
    if outcome in (S.HIRED, S.INTERNSHIP_STARTED):
        if start_date is None:
            errors["start_date"] = _("Give the start date.")
        if not hours_per_week or not 1 <= int(hours_per_week) <= 40:
            errors["hours_per_week"] = _("Give the hours per week (1–40).")
        if outcome == S.HIRED and employment_form not in EmploymentForm.values:
            errors["employment_form"] = _("Choose the form of employment.")
        se = match.supported_employment if supported_employment is None else supported_employment
        if se and support_hours_per_week is None:
            errors["support_hours_per_week"] = _("Give the job coach's support hours per week.")
    if errors:
        raise ValidationError(errors)
    before = _transition(match, by=by, to=outcome, version=version)
    fields = ["status", "updated_at"]
    if outcome == S.REJECTED:
        match.rejection_reason, match.rejection_note = rejection_reason, note
        fields += ["rejection_reason", "rejection_note"]
    if outcome == S.INTERVIEW:
        match.interview_at = interview_at
        fields.append("interview_at")
    plan_note = ""
    if outcome in (S.HIRED, S.INTERNSHIP_STARTED):
        match.start_date = start_date
        match.hours_per_week = int(hours_per_week)
        match.employment_form = employment_form or (
            EmploymentForm.WORK_TRAINING
            if match.vacancy.kind == PlacementKind.WORK_TRAINING
            else EmploymentForm.INTERNSHIP
        )
        if supported_employment is not None:
            match.supported_employment = supported_employment
        match.support_hours_per_week = support_hours_per_week if match.supported_employment else None
        fields += [
            "start_date",
            "hours_per_week",
            "employment_form",
            "supported_employment",
            "support_hours_per_week",
        ]
        referral = _current_referral(match)
        if referral is not None:
            vacancy = match.vacancy
            description = f"{vacancy.title} – {vacancy.employer.name}"
            if match.supported_employment:
                description += f" (Supported Employment, {match.support_hours_per_week} h stöd/vecka)"
            activity = plan_services.plan_activity_add(
                referral=referral,
                by=by,
                intervention_code=_activity_code(match),
                description=description,
                start_date=start_date,
                end_date=end_date,
                hours_per_week=Decimal(match.hours_per_week),
            )
            if activity is None:
                plan_note = _(
                    "The plan waits for the caseworker's decision; add the activity when it is decided."
                )
            else:
                match.plan_activity = activity
                fields.append("plan_activity")
        _fill_vacancy(match.vacancy)
    match.save(update_fields=fields)
    _event(match, by=by, from_status=before, note="\n".join(x for x in (note, plan_note) if x))
    return match


def _current_referral(match: Match):
    Referral = apps.get_model("referrals", "Referral")
    return (
        Referral.objects.filter(participant_id=match.participant_id, status="accepted")
        .order_by("-created_at")
        .first()
    )


def _fill_vacancy(vacancy: Vacancy) -> None:
    taken = vacancy.matches.filter(status__in=[S.HIRED, S.INTERNSHIP_STARTED]).count()
    if taken + 1 >= vacancy.places and vacancy.status == VacancyStatus.OPEN:
        Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.FILLED)
        vacancy.status = VacancyStatus.FILLED
        vacancies_changed(municipality_id=vacancy.employer.municipality_id, vacancy_ids=[vacancy.pk])


# --- recruitment events ------------------------------------------------------------------------------------
@transaction.atomic
def recruitment_event_save(
    *, by, event: RecruitmentEvent | None = None, vacancies: list | None = None, **values
) -> RecruitmentEvent:
    _require(perms.can_manage_employers(by))
    created = event is None
    if created:
        event = RecruitmentEvent(unit_id=by.unit_id)
    else:
        _require(perms.can_manage_event(by, event))
    for name in ("employer", "title", "date", "place", "status", "outcome_note"):
        if name in values:
            setattr(event, name, values[name])
    if event.employer_id and event.employer.municipality_id != by.municipality_id:
        raise ValidationError({"employer": _("Choose an employer from the register.")})
    event.full_clean(exclude=["unit"])
    event.save()
    if vacancies is not None:
        bad = [v for v in vacancies if v.employer_id != event.employer_id]
        if bad:
            raise ValidationError({"vacancies": _("Choose vacancies of the event's employer.")})
        event.vacancies.set(vacancies)
    change_record(action="recruitment_event_saved", obj=event, by=by)
    return event


@transaction.atomic
def recruitment_attendee_set(
    *, event: RecruitmentEvent, participant, by, status: str, outcome: str = ""
) -> RecruitmentAttendee:
    """Invite a person of the unit, or record their attendance and outcome."""
    _require(perms.can_propose_match(by))
    _participant_for(by, participant)
    _require(perms.can_invite_to_event(by, event))
    attendee, _created = RecruitmentAttendee.objects.get_or_create(event=event, participant=participant)
    attendee.status = status
    attendee.outcome = outcome
    attendee.full_clean()
    attendee.save()
    change_record(
        action="recruitment_attendee_set",
        obj=event,
        by=by,
        participant=participant,
        changes={"status": status, "outcome": outcome},
    )
    return attendee
