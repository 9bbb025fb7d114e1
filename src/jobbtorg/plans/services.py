"""Writes for mappings and action plans. Every write is one transaction, checks the workflow and the
optimistic lock (`version` = the lock_version the writer saw), and leaves an audit trail."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record, field_changes
from jobbtorg.identity.models import SignInLog
from jobbtorg.interventions.models import InterventionType
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.taxonomy.legacy import modernise
from jobbtorg.taxonomy.selectors import unknown_occupation_codes, unknown_skill_ids
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.locking import version_claim
from jobbtorg.utils.sign_in import current_sign_in_id

from . import perms
from .assessment import assess
from .constants import (
    AgreementVoidReason,
    CommentKind,
    Obstacle,
    OtherPlanStatus,
    PlacementKind,
    PlanStatus,
    VersionStatus,
)
from .models import (
    ActionPlan,
    Mapping,
    OtherPlanLink,
    PlanActivity,
    PlanAgreement,
    PlanComment,
    PlanVersion,
)
from .selectors import content_week_load, plan_week_load
from .workflow import check_transition

SSYK_CODE = re.compile(r"^\d{4}$")

MAPPING_FIELDS = (
    "education_level",
    "education_note",
    "work_history",
    "months_without_work",
    "months_on_assistance",
    "wanted_occupations",
    "skills",
    "wanted_kinds",
    "swedish_level",
    "other_languages",
    "interpreter_needed",
    "interpreter_language",
    "interpreter_dialect",
    "driving_licence",
    "obstacles",
    "obstacles_note",
    "work_capacity",
    "needs",
)


def _require_case_worker_at_unit(referral: Referral, by, allowed) -> None:
    """Mapping and plan drafting: `allowed` (a perms function) says who; the referral must be accepted."""
    if not allowed(by, referral):
        raise PermissionDenied(_("Only staff of the unit the person is referred to can do this."))
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(
            _("The referral must be accepted before the mapping and the plan can be worked on.")
        )


def _validate_mapping(values: dict) -> None:
    errors = {}
    if values.get("interpreter_needed") and not (values.get("interpreter_language") or "").strip():
        errors["interpreter_language"] = _("Give the language the interpreter speaks.")
    if values.get("wanted_occupations"):
        values["wanted_occupations"] = modernise(values["wanted_occupations"])
    codes = values.get("wanted_occupations") or []
    bad = [c for c in codes if not SSYK_CODE.match(str(c))]
    if bad:
        errors["wanted_occupations"] = _("Occupation codes are SSYK 2012 codes of four digits: %(codes)s") % {
            "codes": ", ".join(map(str, bad))
        }
    else:
        unknown_codes = unknown_occupation_codes(codes)
        if unknown_codes:
            errors["wanted_occupations"] = _("Unknown SSYK 2012 occupation group: %(codes)s") % {
                "codes": ", ".join(unknown_codes)
            }
    unknown_skills = unknown_skill_ids(values.get("skills") or [])
    if unknown_skills:
        errors["skills"] = _("Unknown skill: %(values)s") % {"values": ", ".join(map(str, unknown_skills))}
    kinds = [k for k in values.get("wanted_kinds") or [] if k not in PlacementKind.values]
    if kinds:
        errors["wanted_kinds"] = _("Unknown kind of placement: %(values)s") % {
            "values": ", ".join(map(str, kinds))
        }
    unknown = [o for o in values.get("obstacles") or [] if o not in Obstacle.values]
    if unknown:
        errors["obstacles"] = _("Unknown obstacle: %(values)s") % {"values": ", ".join(map(str, unknown))}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def mapping_save(*, referral: Referral, by, version: int | None = None, **values) -> Mapping:
    """Create or update the mapping of a referral and recompute the distance tier with its reasons."""
    _require_case_worker_at_unit(referral, by, perms.can_edit_mapping)
    _validate_mapping(values)
    mapping = Mapping.objects.filter(referral=referral).first()
    created = mapping is None
    if created:
        mapping = Mapping(referral=referral, participant_id=referral.participant_id)
        before = {}
    else:
        if version is None:
            raise ValidationError(
                {"version": _("Give the version of the mapping your changes are based on.")}
            )
        version_claim(mapping, version)
        before = model_to_dict(mapping, fields=MAPPING_FIELDS)
    for name in MAPPING_FIELDS:
        if name in values:
            setattr(mapping, name, values[name])
    mapping.wanted_occupations = sorted(dict.fromkeys(str(c) for c in mapping.wanted_occupations))
    mapping.skills = sorted(dict.fromkeys(int(s) for s in mapping.skills or []))
    mapping.wanted_kinds = list(dict.fromkeys(mapping.wanted_kinds or []))
    tier, reasons = assess(
        education_level=mapping.education_level,
        swedish_level=mapping.swedish_level,
        months_without_work=mapping.months_without_work,
        work_capacity=mapping.work_capacity,
        obstacles=mapping.obstacles,
        months_on_assistance=mapping.months_on_assistance,
    )
    mapping.tier = tier
    mapping.tier_reasons = [r.as_dict() for r in reasons]
    mapping.updated_by = by
    mapping.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError as exc:  # two first saves at once: the second is a conflict, as for any edit
        raise ConflictError(
            _("Someone else saved the mapping at the same time. Reload it; nothing of yours was saved.")
        ) from exc
    changes = field_changes(before, model_to_dict(mapping, fields=MAPPING_FIELDS))
    if created or changes:
        changes["tier"] = tier
        change_record(
            action="mapping_created" if created else "mapping_updated",
            obj=mapping,
            by=by,
            participant=referral.participant,
            changes=changes,
        )
    return mapping


def plan_for_referral(*, referral: Referral, by) -> ActionPlan:
    """The referral's action plan, started as an empty draft the first time a coach opens it."""
    plan = ActionPlan.objects.filter(referral=referral).first()
    if plan is not None:
        return plan
    _require_case_worker_at_unit(referral, by, perms.can_edit_plan)
    with transaction.atomic():
        plan, created = ActionPlan.objects.get_or_create(
            referral=referral, defaults={"participant_id": referral.participant_id, "updated_by": by}
        )
        if created:
            change_record(action="plan_created", obj=plan, by=by, participant=referral.participant)
    return plan


def _clean_activities(activities: list[dict]) -> list[PlanActivity]:
    rows, errors = [], {}
    types = {t.pk: t for t in InterventionType.objects.filter(active=True)}
    by_code = {t.code: t for t in types.values()}
    for index, data in enumerate(activities):
        key = data.get("intervention_type")
        itype = key if isinstance(key, InterventionType) else types.get(key) or by_code.get(key)
        if itype is None or not itype.active:
            errors[f"activities[{index}].intervention_type"] = _("Choose an intervention from the catalogue.")
            continue
        activity = PlanActivity(
            intervention_type=itype,
            description=data.get("description") or "",
            start_date=data.get("start_date"),
            end_date=data.get("end_date") or None,
            hours_per_week=data.get("hours_per_week"),
            order=index,
        )
        try:
            activity.full_clean(exclude=["plan"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = "" if field == "__all__" else f".{field}"
                errors[f"activities[{index}]{name}"] = messages
        rows.append(activity)
    if errors:
        raise ValidationError(errors)
    return rows


def _clean_links(other_plans: list[dict], *, municipality_id) -> list[OtherPlanLink]:
    rows, errors = [], {}
    for index, data in enumerate(other_plans):
        partner = data.get("partner") or None
        link = OtherPlanLink(
            kind=data.get("kind") or "",
            reference=data.get("reference") or "",
            start_date=data.get("start_date") or None,
            end_date=data.get("end_date") or None,
            partner_id=getattr(partner, "pk", partner),
            status=data.get("status") or OtherPlanStatus.PLANNED,
        )
        try:
            link.full_clean(exclude=["plan"])
            if link.start_date and link.end_date and link.end_date < link.start_date:
                raise ValidationError({"end_date": _("The end date must not be before the start date.")})
            if link.partner_id and link.partner.municipality_id != municipality_id:
                raise ValidationError({"partner": _("Choose a partner of the person's municipality.")})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"other_plans[{index}].{field}"] = messages
        rows.append(link)
    if errors:
        raise ValidationError(errors)
    return rows


def _link_key(link: OtherPlanLink) -> tuple:
    return (link.kind, link.reference, link.partner_id, link.status, link.start_date, link.end_date)


@transaction.atomic
def plan_link_confirm(*, link: OtherPlanLink, by, status: str | None = None) -> OtherPlanLink:
    """The partner that holds the other plan confirms the link as it stands (its dates), optionally telling
    where its plan stands (planned, in force, ended). The plan's content is otherwise untouched, so the
    participant's agreement and the plan's lock stay; a later change of the link by the coach asks for a new
    confirmation (`plan_save_draft` keeps a confirmation only for an unchanged link)."""
    if not perms.can_confirm_plan_link(by, link):
        raise PermissionDenied(_("Only the partner that holds the other plan can confirm it."))
    link = OtherPlanLink.objects.select_for_update().get(pk=link.pk)
    if status is not None:
        if status not in OtherPlanStatus.values:
            raise ValidationError({"status": _("Choose a status from the list.")})
        link.status = status
    link.confirmed_at = timezone.now()
    link.confirmed_by = by
    link.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    change_record(
        action="plan_link_confirmed",
        obj=link,
        by=by,
        participant=link.plan.participant,
        changes={"kind": link.kind, "status": link.status},
    )
    return link


def _snapshot(plan: ActionPlan) -> dict:
    return {
        "goals": plan.goals,
        "activities": [
            {
                "intervention_type": a.intervention_type.code,
                "intervention_name": a.intervention_type.name,
                "description": a.description,
                "start_date": a.start_date.isoformat(),
                "end_date": a.end_date.isoformat() if a.end_date else None,
                "hours_per_week": str(a.hours_per_week),
            }
            for a in plan.activities.select_related("intervention_type")
        ],
        "other_plans": [
            {
                "kind": link.kind,
                "reference": link.reference,
                "start_date": link.start_date.isoformat() if link.start_date else None,
                "end_date": link.end_date.isoformat() if link.end_date else None,
                "partner": link.partner_id,
                "status": link.status,
            }
            for link in plan.other_plans.all()
        ],
    }


@transaction.atomic
def plan_save_draft(
    *,
    plan: ActionPlan,
    by,
    version: int | None,
    goals: str,
    activities: list[dict],
    other_plans: list[dict] | None = None,
) -> ActionPlan:
    """Replace the draft's goals, activities and links to other plans (an approved plan becomes a revision
    draft; its approved version stays in force until a new one is approved)."""
    _require_case_worker_at_unit(plan.referral, by, perms.can_edit_plan)
    version_claim(plan, version)
    check_transition(plan.status, PlanStatus.DRAFT)
    activity_rows = _clean_activities(activities)
    link_rows = _clean_links(other_plans or [], municipality_id=plan.participant.municipality_id)
    before = _snapshot(plan)
    _agreements_void(plan=plan, reason=AgreementVoidReason.CHANGED)
    plan.goals = goals
    plan.status = PlanStatus.DRAFT
    plan.updated_by = by
    plan.save(update_fields=["goals", "status", "updated_by", "updated_at"])
    confirmed = {_link_key(link): link for link in plan.other_plans.filter(confirmed_at__isnull=False)}
    plan.activities.all().delete()
    plan.other_plans.all().delete()
    for row in activity_rows:
        row.plan = plan
    for row in link_rows:
        row.plan = plan
        kept = confirmed.get(_link_key(row))
        if kept is not None:  # the partner's confirmation stands while what it confirmed is unchanged
            row.confirmed_at, row.confirmed_by_id = kept.confirmed_at, kept.confirmed_by_id
    PlanActivity.objects.bulk_create(activity_rows)
    OtherPlanLink.objects.bulk_create(link_rows)
    after = _snapshot(plan)
    change_record(
        action="plan_draft_saved",
        obj=plan,
        by=by,
        participant=plan.participant,
        changes={k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]},
    )
    return plan


@transaction.atomic
def plan_propose(*, plan: ActionPlan, by, version: int | None) -> PlanVersion:
    """The coach proposes the draft to the caseworker: it becomes a numbered, frozen version."""
    _require_case_worker_at_unit(plan.referral, by, perms.can_edit_plan)
    version_claim(plan, version)
    check_transition(plan.status, PlanStatus.PROPOSED)
    content = _snapshot(plan)
    errors = {}
    if not plan.goals.strip():
        errors["goals"] = _("Write at least one goal before proposing the plan.")
    if not content["activities"]:
        errors["activities"] = _("Plan at least one activity before proposing the plan.")
    if errors:
        raise ValidationError(errors)
    load = plan_week_load(plan)
    content["week"] = {
        "week_start": load.week_start.isoformat(),
        "planned_hours": str(load.planned_hours),
        "required_hours": str(load.required_hours),
        "work_capacity": load.work_capacity,
    }
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    plan_version = PlanVersion.objects.create(
        plan=plan, number=number, status=VersionStatus.PROPOSED, content=content, proposed_by=by
    )
    plan.status = PlanStatus.PROPOSED
    plan.updated_by = by
    plan.save(update_fields=["status", "updated_by", "updated_at"])
    change_record(
        action="plan_proposed", obj=plan, by=by, participant=plan.participant, changes={"version": number}
    )
    return plan_version


def _decide(*, plan: ActionPlan, by, version: int | None, to: str, comment: str) -> PlanVersion:
    if not perms.can_approve_plan(by, plan):
        raise PermissionDenied(
            _(
                "Only a caseworker of the person's district — or, for a person the unit took in itself, the "
                "unit head — can approve or return the plan."
            )
        )
    version_claim(plan, version)  # a stale writer gets a conflict before anything else
    check_transition(plan.status, to)
    proposed = plan.versions.filter(status=VersionStatus.PROPOSED).order_by("-number").first()
    if proposed is None:
        raise ValidationError(_("There is no proposed version to decide on."))
    load = content_week_load(proposed.content)
    if to == PlanStatus.APPROVED and load is not None and load.is_over and not (comment or "").strip():
        raise ValidationError(
            {
                "comment": _(
                    "The plan is over the person's work capacity (%(planned)s of %(required)s hours a "
                    "week): state the reason for approving it."
                )
                % {"planned": f"{load.planned_hours:g}", "required": f"{load.required_hours:g}"}
            }
        )
    now = timezone.now()
    proposed.status = VersionStatus.APPROVED if to == PlanStatus.APPROVED else VersionStatus.RETURNED
    proposed.decided_by = by
    proposed.decided_at = now
    proposed.decision_comment = comment
    proposed.save()
    plan.status = to
    plan.updated_by = by
    fields = ["status", "updated_by", "updated_at"]
    if to == PlanStatus.APPROVED:
        plan.current_version = proposed
        fields.append("current_version")
        if plan.first_approved_at is None:
            plan.first_approved_at = now
            fields.append("first_approved_at")
    plan.save(update_fields=fields)
    if to == PlanStatus.RETURNED:
        _agreements_void(plan=plan, reason=AgreementVoidReason.RETURNED)
    change_record(
        action="plan_approved" if to == PlanStatus.APPROVED else "plan_returned",
        obj=plan,
        by=by,
        participant=plan.participant,
        changes={"version": proposed.number, **({"comment": comment} if comment else {})},
    )
    return proposed


@transaction.atomic
def plan_approve(*, plan: ActionPlan, version: int | None, by, comment: str = "") -> PlanVersion:
    """The caseworker (for an intake at the unit: the unit head, ADR 0020 — `perms.can_approve_plan`)
    approves the proposed version: the three-party agreement is in force."""
    return _decide(plan=plan, by=by, version=version, to=PlanStatus.APPROVED, comment=comment)


@transaction.atomic
def plan_return(*, plan: ActionPlan, version: int | None, by, comment: str) -> PlanVersion:
    """The caseworker returns the proposal to the coach with a comment saying what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what should change before returning the plan.")})
    return _decide(plan=plan, by=by, version=version, to=PlanStatus.RETURNED, comment=comment)


@transaction.atomic
def plan_activity_add(
    *,
    referral: Referral,
    by,
    intervention_code: str,
    description: str,
    start_date,
    hours_per_week,
    end_date=None,
) -> PlanActivity | None:
    """Add one activity to the person's action plan (e.g. a job or an internship that started through
    matching), keeping the rest of the draft. An approved plan becomes a revision draft (its approved
    version stays in force until the caseworker approves the new one). Returns None, changing nothing, when
    the plan waits for the caseworker's decision. Unit staff of the referral's unit who may change plans or
    record matches may do this."""
    if not perms.can_add_plan_activity(by, referral):
        raise PermissionDenied(_("Only staff of the unit the person is referred to can do this."))
    plan = ActionPlan.objects.filter(referral=referral).first()
    if plan is None:
        plan, created = ActionPlan.objects.get_or_create(
            referral=referral, defaults={"participant_id": referral.participant_id, "updated_by": by}
        )
        if created:
            change_record(action="plan_created", obj=plan, by=by, participant=referral.participant)
    if plan.status == PlanStatus.PROPOSED:
        return None
    version_claim(plan, plan.lock_version)
    check_transition(plan.status, PlanStatus.DRAFT)
    itype = InterventionType.objects.filter(code=intervention_code, active=True).first()
    if itype is None:
        raise ValidationError({"intervention_type": _("Choose an intervention from the catalogue.")})
    order = (plan.activities.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    activity = PlanActivity(
        plan=plan,
        intervention_type=itype,
        description=description[:300],
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        order=order,
    )
    activity.full_clean()
    activity.save()
    _agreements_void(plan=plan, reason=AgreementVoidReason.CHANGED)
    plan.status = PlanStatus.DRAFT
    plan.updated_by = by
    plan.save(update_fields=["status", "updated_by", "updated_at"])
    change_record(
        action="plan_activity_added",
        obj=plan,
        by=by,
        participant=plan.participant,
        changes={"activity": {"intervention_type": itype.code, "description": activity.description}},
    )
    return activity


# The participant's part of the agreement (issue 16) ------------------------------------------------------


def _agreements_void(*, plan: ActionPlan, reason: str) -> int:
    """A change to the plan voids the participant's agreements to versions not in force (the version in
    force keeps its agreement: it does not change). The rows stay, marked with when and why."""
    return (
        PlanAgreement.objects.filter(plan=plan, voided_at__isnull=True)
        .exclude(version_id=plan.current_version_id)
        .update(voided_at=timezone.now(), void_reason=reason)
    )


def _sign_in_method() -> str:
    """How the current request's user signed in (identity's sign-in log), '' outside a request."""
    sign_in_id = current_sign_in_id()
    if sign_in_id is None:
        return ""
    return SignInLog.objects.filter(pk=sign_in_id).values_list("method", flat=True).first() or ""


def _proposed_version(plan: ActionPlan) -> PlanVersion:
    proposed = plan.versions.filter(status=VersionStatus.PROPOSED).order_by("-number").first()
    if plan.status != PlanStatus.PROPOSED or proposed is None:
        raise ValidationError(_("There is no proposed plan to agree to right now."))
    return proposed


@transaction.atomic
def plan_agree(*, plan: ActionPlan, by, version: int | None) -> PlanAgreement:
    """The participant agrees to the proposed version they read (`version` = the plan's lock version on
    their page). Records the version, the lock version, the time and the sign-in method (e-ID when they
    signed in through the municipality's e-ID provider). Agreeing again to the same version changes
    nothing."""
    if not perms.can_agree_to_plan(by, plan):
        raise PermissionDenied(_("Only the person the plan is for can agree to it."))
    if version is None:
        raise ValidationError({"version": _("Give the version of the plan you read.")})
    existing = (
        PlanAgreement.objects.filter(plan=plan, voided_at__isnull=True, lock_version=version)
        .exclude(version_id=plan.current_version_id)
        .first()
    )
    if existing is not None:
        return existing
    version_claim(plan, version)  # a change since the page was read is a conflict, as for the staff
    proposed = _proposed_version(plan)
    agreement = PlanAgreement.objects.create(
        plan=plan,
        version=proposed,
        lock_version=version,
        agreed_by=by,
        sign_in_method=_sign_in_method(),
    )
    change_record(
        action="plan_agreed",
        obj=plan,
        by=by,
        participant=plan.participant,
        changes={"version": proposed.number, "sign_in_method": agreement.sign_in_method},
    )
    return agreement


@transaction.atomic
def plan_comment_add(
    *,
    plan: ActionPlan,
    by,
    body: str = "",
    intervention_type: str | int | None = None,
    hours_per_week=None,
) -> PlanComment:
    """The participant comments on their proposed plan or proposes an activity (an intervention from the
    catalogue, with the hours a week they think fit). The coach sees it on the plan; it is never changed or
    deleted."""
    if not perms.can_agree_to_plan(by, plan):
        raise PermissionDenied(_("Only the person the plan is for can comment on it here."))
    body = (body or "").strip()
    itype = None
    if intervention_type not in (None, ""):
        itype = (
            InterventionType.objects.filter(active=True)
            .filter(
                **(
                    {"pk": intervention_type}
                    if str(intervention_type).isdigit()
                    else {"code": intervention_type}
                )
            )
            .first()
        )
        if itype is None:
            raise ValidationError({"intervention_type": _("Choose an intervention from the catalogue.")})
    elif not body:
        raise ValidationError({"body": _("Write your comment.")})
    if itype is None and hours_per_week not in (None, ""):
        raise ValidationError({"intervention_type": _("Choose the activity the hours are for.")})
    current = plan.versions.filter(status=VersionStatus.PROPOSED).order_by("-number").first()
    comment = PlanComment(
        plan=plan,
        version=current or plan.current_version,
        kind=CommentKind.ACTIVITY if itype else CommentKind.COMMENT,
        body=body,
        intervention_type=itype,
        hours_per_week=hours_per_week if itype and hours_per_week not in (None, "") else None,
        written_by=by,
    )
    comment.full_clean(exclude=["version"])
    comment.save()
    change_record(
        action="plan_commented",
        obj=plan,
        by=by,
        participant=plan.participant,
        changes={"kind": comment.kind, **({"intervention_type": itype.code} if itype else {})},
    )
    return comment
