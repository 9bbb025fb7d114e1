"""Demo data for the partners (ADR 19): one partner organisation of each kind in the demo municipality, the
`forsakringskassan` login, and people who consented to sharing with a partner — a hand-over meeting and a
request for a rehabilitation assessment with Försäkringskassan, an SFI test booking with adult education, and
a link of the plan to Arbetsförmedlingen's plan. Made through the services, by the people of each case.

Called once from `jobbtorg.demo.seed._Seeder.run()` after the people exist. Deterministic: people are taken
in a stable order (by identity number, never by UUID)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobbtorg.accounts.models import User
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.plans import services as plan_services
from jobbtorg.plans.constants import OtherPlanKind, PlanStatus
from jobbtorg.plans.models import ActionPlan
from jobbtorg.referrals.constants import ReferralStatus

from . import services
from .constants import PartnerKind
from .models import PartnerOrganisation

ORGANISATIONS = {
    PartnerKind.EMPLOYMENT_SERVICE: (
        "Arbetsförmedlingen Stockholm (demo)",
        "stockholm@arbetsformedlingen.example",
    ),
    PartnerKind.SOCIAL_INSURANCE: (
        "Försäkringskassan Stockholm (demo)",
        "samverkan@forsakringskassan.example",
    ),
    PartnerKind.ADULT_EDUCATION: ("Vuxenutbildningen Stockholm, SFI (demo)", "sfi@vux.example"),
    PartnerKind.HEALTH_CARE: ("Region Stockholm, vårdcentral Järva (demo)", "vc-jarva@region.example"),
    PartnerKind.COORDINATION_ASSOCIATION: (
        "Samordningsförbundet Stockholm (demo)",
        "info@samordning.example",
    ),
}


def seed_partners(*, municipality, login: User | None, today: datetime.date) -> dict:
    """Create the organisations; attach `login` (a partner-staff user not yet saved with an organisation) to
    Försäkringskassan; give Försäkringskassan and adult education work with two consenting people."""
    organisations = {}
    for kind, (name, contact) in ORGANISATIONS.items():
        organisation = PartnerOrganisation(municipality=municipality, name=name, kind=kind, contact=contact)
        organisation.full_clean()
        organisation.save()
        organisations[kind] = organisation
    insurance = organisations[PartnerKind.SOCIAL_INSURANCE]
    if login is not None:
        login.partner_organisation = insurance
        login.full_clean()
        login.save()
    plans = list(
        ActionPlan.objects.filter(
            participant__municipality=municipality,
            participant__protected_identity=False,
            referral__status=ReferralStatus.ACCEPTED,
            referral__coach__isnull=False,
            referral__caseworker__isnull=False,  # the caseworker records consent (no intakes)
            status__in=[PlanStatus.DRAFT, PlanStatus.APPROVED],
        )
        .select_related("referral", "referral__coach", "referral__caseworker", "participant")
        .order_by("referral__unit__name", "participant__personal_number")[:2]
    )
    if len(plans) < 2:
        return organisations
    first, second = plans
    referral = first.referral
    coach, caseworker = referral.coach, referral.caseworker
    for scope in (ConsentScope.SOCIAL_INSURANCE, ConsentScope.EMPLOYMENT_SERVICE):
        consent_record(participant=first.participant, status="given", scope=scope, by=caseworker)
    start = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=3), datetime.time(10))
    )
    services.partner_meeting_book(
        referral=referral,
        by=coach,
        organisation=insurance,
        kind="handover",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place=referral.unit.address or referral.unit.name,
        agenda="Överlämningsmöte: Försäkringskassan, Jobbtorg, socialtjänsten och personen.",
    )
    services.partner_request_send(
        referral=referral,
        by=coach,
        organisation=insurance,
        kind="rehabilitation_assessment",
        question="Vi begär en bedömning av arbetsförmågan och behovet av rehabilitering inför arbetsträning.",
    )
    plan = ActionPlan.objects.get(pk=first.pk)
    if plan.status != PlanStatus.PROPOSED:
        links = [
            {
                "kind": link.kind,
                "reference": link.reference,
                "start_date": link.start_date,
                "end_date": link.end_date,
                "partner": link.partner,
                "status": link.status,
            }
            for link in plan.other_plans.all()
        ]
        links.append(
            {
                "kind": OtherPlanKind.EMPLOYMENT_SERVICE,
                "reference": "Handlingsplan hos Arbetsförmedlingen",
                "start_date": today,
                "partner": organisations[PartnerKind.EMPLOYMENT_SERVICE],
            }
        )
        activities = [
            {
                "intervention_type": a.intervention_type,
                "description": a.description,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "hours_per_week": a.hours_per_week,
            }
            for a in plan.activities.select_related("intervention_type")
        ]
        plan_services.plan_save_draft(
            plan=plan,
            by=coach,
            version=plan.lock_version,
            goals=plan.goals,
            activities=activities,
            other_plans=links,
        )
    referral = second.referral
    consent_record(
        participant=second.participant,
        status="given",
        scope=ConsentScope.ADULT_EDUCATION,
        by=referral.caseworker,
    )
    services.partner_request_send(
        referral=referral,
        by=referral.coach,
        organisation=organisations[PartnerKind.ADULT_EDUCATION],
        kind="sfi_test",
        question="Vi vill boka ett nivåtest i SFI.",
    )
    return organisations
