"""Reads for partner staff and for the coach's view of the partners on a case (ADR 19). Every list starts
from `visible_to`; the views log the reads of people."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from jobbtorg.participants.models import Participant
from jobbtorg.plans.models import ActionPlan, OtherPlanLink, PlanActivity

from .models import PartnerMeeting, PartnerOrganisation, PartnerRequest


def partner_people(*, user):
    """The people a partner user sees (their organisation works with them, consent in force), by name."""
    return Participant.objects.visible_to(user).order_by("last_name", "first_name", "pk")


@dataclass
class SharedPlan:
    """What a partner sees of a person: the action plan (goals, activities, links to other plans), the
    meetings and the requests of their own organisation — nothing else of the case."""

    participant: Participant
    plans: list
    meetings: list
    requests: list


def shared_plan(*, user, participant: Participant) -> SharedPlan:
    plans = (
        ActionPlan.objects.visible_to(user)
        .filter(participant=participant)
        .order_by("-created_at")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=PlanActivity.objects.visible_to(user).select_related("intervention_type"),
            ),
            Prefetch(
                "other_plans", queryset=OtherPlanLink.objects.visible_to(user).select_related("partner")
            ),
        )
    )
    meetings = (
        PartnerMeeting.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("organisation", "organiser")
        .order_by("-starts_at")
    )
    requests = (
        PartnerRequest.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("organisation", "sent_by")
        .order_by("-sent_at")
    )
    return SharedPlan(participant, list(plans), list(meetings), list(requests))


def partner_work_on_case(*, user, referral):
    """The four-party meetings and requests to partners on one referral, as the coach or caseworker sees
    them."""
    meetings = (
        PartnerMeeting.objects.visible_to(user)
        .filter(referral=referral)
        .select_related("organisation")
        .order_by("-starts_at")
    )
    requests = (
        PartnerRequest.objects.visible_to(user)
        .filter(referral=referral)
        .select_related("organisation", "handled_by")
        .order_by("-sent_at")
    )
    return list(meetings), list(requests)


def partner_inbox(*, user):
    """A partner user's open requests and coming meetings (of the people visible to them)."""
    now = timezone.now()
    requests = (
        PartnerRequest.objects.visible_to(user).open().select_related("participant").order_by("sent_at")
    )
    meetings = (
        PartnerMeeting.objects.visible_to(user)
        .upcoming(now)
        .filter(status="invited")
        .select_related("participant")
        .order_by("starts_at")
    )
    return list(requests), list(meetings)


def partners_for(*, user, referral):
    """The active partner organisations of the person's municipality, to choose from."""
    return PartnerOrganisation.objects.visible_to(user).filter(
        municipality_id=referral.participant.municipality_id, active=True
    )
