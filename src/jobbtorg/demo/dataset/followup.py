"""Exits and monthly assistance records for the generated people (the follow-up app's tables).

Every closed referral has its exit record. The assistance record runs from (at most six months before the
window) the month the person's time on assistance began, paid every month until the exit; after an exit to
work or studies most people have no assistance (the record says so, month by month), some come back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from jobbtorg.followup.constants import ExitReason
from jobbtorg.followup.models import AssistanceMonth, Exit
from jobbtorg.participants.constants import TargetGroup
from jobbtorg.referrals.constants import CloseReason
from jobbtorg.utils.dates import add_months as add_calendar_months

from .generate import Generator, add_months, month_start, stable_uuid

EXIT_REASON = {
    CloseReason.WORK: ExitReason.WORK,
    CloseReason.STUDIES: ExitReason.STUDIES,
    CloseReason.OTHER_SUPPORT: ExitReason.OTHER_SUPPORT,
    CloseReason.MOVED: ExitReason.MOVED,
    CloseReason.INTERRUPTED: ExitReason.INTERRUPTED,
    CloseReason.NO_LONGER_ON_ASSISTANCE: ExitReason.COMPLETED,
    CloseReason.REFERRED_ELSEWHERE: ExitReason.OTHER,
}
NO_ASSISTANCE_GROUPS = {TargetGroup.DISABILITY, TargetGroup.NEWLY_ARRIVED}


def write(gen: Generator) -> None:
    gen.loader.load(
        Exit,
        [
            "id",
            "referral_id",
            "participant_id",
            "exit_date",
            "reason",
            "work_hours_per_week",
            "employment_form",
            "subsidised",
            "municipal_labour_market_job",
            "work_start_date",
            "studies_with_student_finance",
            "studies_eligible_for_student_finance",
            "work_lasted_one_month",
            "evidence",
            "recorded_by_id",
            "provider_id",
        ],
        exit_rows(gen),
    )
    gen.loader.load(
        AssistanceMonth,
        ["participant_id", "month", "amount", "paid", "reason_code", "is_current"],
        assistance_rows(gen),
        total=len(gen.lives) * 14,
    )


def exit_rows(gen: Generator):
    for life in gen.lives:
        if not life.exit_date:
            continue
        rng = gen.person_rng(life, 4)
        reason = EXIT_REASON[life.close_reason]
        work = reason == ExitReason.WORK
        studies = reason == ExitReason.STUDIES
        provider = next((b[6] for b in life.bookings if b[6] is not None), None)
        # The Kolada questions (a stream of their own, so the rest of the data set is as before): the studies
        # are eligible for student finance when received and mostly otherwise; the work has lasted a month for
        # most, once a month has passed since it started (before that: not known yet).
        kolada = gen.person_rng(life, 7)
        received = studies and rng.random() < 0.8
        eligible = (received or kolada.random() < 0.6) if studies else None
        lasted = None
        if work and add_calendar_months(life.exit_date, 1) <= gen.today:
            lasted = kolada.random() < 0.9
        yield (
            stable_uuid(rng),
            life.referral_id,
            life.id,
            life.exit_date,
            reason,
            life.work_hours if work else None,
            life.employment_form if work else "",
            life.subsidised if work else False,
            (rng.random() < 0.1) if work else None,
            life.exit_date if work else None,
            received,
            eligible,
            lasted,
            "Anställningsavtal" if work else "Antagningsbesked" if studies else "",
            life.coach,
            provider,
        )


def assistance_rows(gen: Generator):
    last_month = add_months(month_start(gen.today), -1)
    earliest = add_months(gen.window_start, -6)
    for life in gen.lives:
        if life.target_group in NO_ASSISTANCE_GROUPS:
            continue
        rng = gen.person_rng(life, 5)
        base = rng.randrange(4_000, 13_000, 10)
        moa = life.mapping["months_on_assistance"] if life.mapping else 6
        month = max(earliest, add_months(month_start(life.referral_date), -moa))
        exit_month = month_start(life.exit_date) if life.exit_date else None
        back = month_start(life.assistance_relapse) if life.assistance_relapse else None
        stop_after_exit = exit_month and add_months(exit_month, 13)
        while month <= last_month and (stop_after_exit is None or month <= stop_after_exit):
            paid = exit_month is None or month <= exit_month or (back is not None and month >= back)
            if life.exit_date and life.close_reason == CloseReason.MOVED and month > exit_month:
                break  # moved away: the municipality's assistance records end
            amount = Decimal(base + rng.randrange(-300, 300, 10)) if paid else None
            yield (life.id, month, amount, paid, "arbetslöshet" if paid else "", True)
            month = add_months(month, 1)


_ = datetime  # dates arrive as datetime.date values from the generator
