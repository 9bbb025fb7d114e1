"""Demo data for compensation: exits for closed referrals, monthly assistance data, a compensation model
per contract and authorisation (Nacka jobbpeng for the customer-choice authorisations, the Rusta och matcha
shape for procurement contracts) and last month's payment run, so the finance view shows last month's
payment basis per provider with a PDF export."""

import datetime
from decimal import Decimal

from jobbtorg.followup.constants import ExitReason
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from jobbtorg.followup.services import EXIT_REASON_FOR_CLOSE
from jobbtorg.participants.models import Participant
from jobbtorg.providers.models import Assignment, Authorisation, Contract
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral

from . import schemes
from .models import ModelAssignment
from .selectors import add_months
from .services import payment_run


def seed_payments(*, municipality, rng, today: datetime.date) -> None:
    this_month = today.replace(day=1)
    last_month = add_months(this_month, -1)
    _exits(municipality=municipality, rng=rng, today=today)
    _assistance(municipality=municipality, rng=rng, last_month=last_month)
    start = add_months(this_month, -24)
    nacka = schemes.nacka_jobbpeng(municipality=municipality, valid_from=start)
    rusta = schemes.rusta_och_matcha(municipality=municipality, valid_from=start)
    ModelAssignment.objects.bulk_create(
        [
            ModelAssignment(authorisation=a, model=nacka)
            for a in Authorisation.objects.filter(provider__municipality=municipality)
        ]
        + [
            ModelAssignment(contract=c, model=rusta)
            for c in Contract.objects.filter(provider__municipality=municipality)
        ]
    )
    payment_run(month=last_month, by=None, municipality=municipality)


def _exits(*, municipality, rng, today):
    closed = (
        Referral.objects.filter(
            participant__municipality=municipality, status=ReferralStatus.CLOSED, accepted_at__isnull=False
        )
        .exclude(exit__isnull=False)
        .order_by("referral_date", "id")
    )
    latest = {}
    for referral_id, provider_id in (
        Assignment.objects.filter(referral__in=closed)
        .order_by("start_date")
        .values_list("referral_id", "provider_id")
    ):
        latest[referral_id] = provider_id
    exits = []
    for referral in closed:
        reason = EXIT_REASON_FOR_CLOSE.get(referral.close_reason, ExitReason.OTHER)
        day = (referral.closed_at.date() if referral.closed_at else today) - datetime.timedelta(
            days=rng.randrange(0, 120)
        )
        day = max(day, referral.referral_date)
        work = reason == ExitReason.WORK
        exits.append(
            Exit(
                referral=referral,
                participant_id=referral.participant_id,
                exit_date=day,
                reason=reason,
                work_hours_per_week=rng.choice([20, 30, 40, 40]) if work else None,
                employment_form=rng.choice(["permanent", "fixed_term", "hourly"]) if work else "",
                subsidised=work and rng.random() < 0.3,
                work_start_date=day if work else None,
                studies_with_student_finance=reason == ExitReason.STUDIES,
                evidence="Demo: anställningsbevis"
                if work
                else ("Demo: antagningsbesked" if reason == ExitReason.STUDIES else ""),
                provider_id=latest.get(referral.pk),
            )
        )
    Exit.objects.bulk_create(exits)


def _assistance(*, municipality, rng, last_month):
    exit_dates = dict(
        Exit.objects.filter(participant__municipality=municipality).values_list("participant_id", "exit_date")
    )
    people = list(
        Participant.objects.filter(municipality=municipality)
        .order_by("personal_number")
        .values_list("id", flat=True)
    )
    rows = []
    for k in range(8, -1, -1):
        month = add_months(last_month, -k)
        batch = AssistanceImport.objects.create(
            municipality=municipality,
            source="file",
            file_name=f"demo-{month:%Y-%m}.csv",
            month=month,
            row_count=len(people),
        )
        for person in people:
            exited = exit_dates.get(person)
            chance = 0.1 if exited and month > exited else 0.85
            paid = rng.random() < chance
            amount = Decimal(rng.randrange(3000, 11000)) if paid else None
            rows.append(
                AssistanceMonth(participant_id=person, month=month, amount=amount, paid=paid, batch=batch)
            )
        batch.created_count = len(people)
        batch.save(update_fields=["created_count"])
    AssistanceMonth.objects.bulk_create(rows, batch_size=5000)
