"""Payment-run benchmark: times `payments.services.payment_run` for one month on whatever is in the
database (e.g. the generated national data set) and prints the time and the number of lines.

Everything the bench writes is rolled back: the run itself, and — when no contract or authorisation has a
compensation model yet — the models it attaches for the measurement (Nacka jobbpeng on every
authorisation, the Rusta och matcha shape on every contract).

`--synthetic N` first builds N participants (assignments to 20 providers, a mapping tier, exits for about
a third, 12 months of assistance data) with bulk_create, committed, in a municipality of its own
("Benchstad", code 9999) — only when that municipality is empty.

Usage: DATABASE_URL=... .venv/bin/python bench/payments.py [--month YYYY-MM] [--synthetic 150000]
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from jobbtorg.accounts.models import District, Municipality, Unit, User  # noqa: E402
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit  # noqa: E402
from jobbtorg.interventions.models import InterventionType  # noqa: E402
from jobbtorg.participants.models import Participant  # noqa: E402
from jobbtorg.payments import schemes  # noqa: E402
from jobbtorg.payments.models import ModelAssignment  # noqa: E402
from jobbtorg.payments.selectors import add_months  # noqa: E402
from jobbtorg.payments.services import payment_run  # noqa: E402
from jobbtorg.plans.models import Mapping  # noqa: E402
from jobbtorg.providers.models import Application, Assignment, Authorisation, Contract, Provider  # noqa: E402
from jobbtorg.referrals.deadline import plan_due_date  # noqa: E402
from jobbtorg.referrals.models import Referral  # noqa: E402
from jobbtorg.utils import personal_numbers  # noqa: E402


class Rollback(Exception):
    pass


def synthetic(n: int, month: datetime.date, seed: int = 6) -> None:
    rng = random.Random(seed)
    municipality, _ = Municipality.objects.get_or_create(code="9999", defaults={"name": "Benchstad"})
    if Participant.objects.filter(municipality=municipality).exists():
        print("synthetic: Benchstad already has data, reused")
        return
    t0 = time.perf_counter()
    unit = Unit.objects.create(municipality=municipality, name="Bench Jobbtorg")
    district = District.objects.create(municipality=municipality, name="Bench stadsdel", unit=unit)
    caseworker = User.objects.create(
        username="bench-socsek", role="caseworker", district=district, municipality=municipality
    )
    itype = InterventionType.objects.get(code="individual_coaching")
    providers = []
    for i in range(20):
        provider = Provider.objects.create(
            municipality=municipality, name=f"Bench {i} AB", organisation_number=f"55{i:08d}"
        )
        staff = User.objects.create(
            username=f"bench-prov-{i}", role="provider_staff", provider=provider, municipality=municipality
        )
        application = Application.objects.create(
            provider=provider, intervention_type=itype, submitted_by=staff, status="approved"
        )
        Authorisation.objects.create(
            provider=provider,
            intervention_type=itype,
            application=application,
            valid_from=datetime.date(2020, 1, 1),
        )
        providers.append(provider)
    first = add_months(month, -14)
    people, referrals, mappings, assignments, exits, assistance = [], [], [], [], [], []
    for i in range(n):
        pnr = personal_numbers.make(
            datetime.date(
                1960 + (i // 999) % 45, 1 + (i // (999 * 45)) % 12, 1 + (i // (999 * 45 * 12)) % 28
            ),
            1 + i % 999,
        )
        person = Participant(
            municipality=municipality,
            district=district,
            personal_number=pnr,
            birth_date=personal_numbers.birth_date(pnr),
            first_name="Bench",
            last_name=str(i),
        )
        people.append(person)
        start = first + datetime.timedelta(days=rng.randrange(0, 420))
        accepted = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
        exited = rng.random() < 0.35
        end = start + datetime.timedelta(days=rng.randrange(20, 300)) if exited else None
        if end and end > month:
            end, exited = None, False
        referral = Referral(
            participant=person,
            district=district,
            unit=unit,
            caseworker=caseworker,
            target_group="unemployed_on_assistance",
            reason="bench",
            assistance_status="receiving",
            referral_date=start,
            plan_due_date=plan_due_date(start),
            status="closed" if exited else "accepted",
            accepted_at=accepted,
            close_reason="work" if exited else "",
        )
        referrals.append(referral)
        mappings.append(
            Mapping(referral=referral, participant=person, tier=rng.choice("AABBC"), work_capacity=100)
        )
        provider = providers[i % 20]
        assignments.append(
            Assignment(
                participant=person,
                referral=referral,
                provider=provider,
                intervention_type=itype,
                source="participant_choice",
                start_date=start,
                end_date=end,
                created_by=caseworker,
            )
        )
        if exited:
            reason = rng.choice(["work", "work", "studies", "interrupted", "moved"])
            exits.append(
                Exit(
                    referral=referral,
                    participant=person,
                    exit_date=end,
                    reason=reason,
                    provider=provider,
                    work_hours_per_week=rng.choice([20, 30, 40]) if reason == "work" else None,
                    employment_form=rng.choice(["permanent", "fixed_term", "hourly"])
                    if reason == "work"
                    else "",
                    work_start_date=end if reason == "work" else None,
                    evidence="bench" if reason in ("work", "studies") else "",
                    studies_with_student_finance=reason == "studies",
                )
            )
        for k in range(12):
            m = add_months(month, -k)
            if rng.random() < (0.15 if exited and m > end else 0.8):
                assistance.append(
                    AssistanceMonth(participant=person, month=m, amount=rng.randrange(3000, 12000), paid=True)
                )
    with transaction.atomic():
        Participant.objects.bulk_create(people, batch_size=5000)
        Referral.objects.bulk_create(referrals, batch_size=5000)
        Mapping.objects.bulk_create(mappings, batch_size=5000)
        Assignment.objects.bulk_create(assignments, batch_size=5000)
        Exit.objects.bulk_create(exits, batch_size=5000)
        for k in range(12):
            AssistanceImport.objects.create(source="file", month=add_months(month, -k))
        AssistanceMonth.objects.bulk_create(assistance, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"synthetic: {n} participants, {len(exits)} exits, {len(assistance)} assistance months "
        f"in {time.perf_counter() - t0:.1f} s"
    )


def attach_models(month: datetime.date) -> None:
    """Give every contract and authorisation without one a model (inside the rolled-back transaction)."""
    for municipality in Municipality.objects.all():
        auths = Authorisation.objects.filter(provider__municipality=municipality, compensation__isnull=True)
        contracts = Contract.objects.filter(provider__municipality=municipality, compensation__isnull=True)
        if not auths.exists() and not contracts.exists():
            continue
        start = datetime.date(2000, 1, 1)
        nacka = schemes.nacka_jobbpeng(
            municipality=municipality, valid_from=start, name="Bench: Nacka jobbpeng"
        )
        rusta = schemes.rusta_och_matcha(
            municipality=municipality, valid_from=start, name="Bench: Rusta och matcha"
        )
        ModelAssignment.objects.bulk_create([ModelAssignment(authorisation=a, model=nacka) for a in auths])
        ModelAssignment.objects.bulk_create([ModelAssignment(contract=c, model=rusta) for c in contracts])


def main():
    parser = argparse.ArgumentParser()
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    parser.add_argument("--month", default=f"{last_month:%Y-%m}")
    parser.add_argument("--synthetic", type=int, default=0)
    args = parser.parse_args()
    month = datetime.date.fromisoformat(args.month + "-01")
    if args.synthetic:
        synthetic(args.synthetic, month)
    counts = {
        "participants": Participant.objects.count(),
        "assignments": Assignment.objects.count(),
        "exits": Exit.objects.count(),
        "assistance months": AssistanceMonth.objects.count(),
    }
    print("data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    try:
        with transaction.atomic():
            attach_models(month)
            started = time.perf_counter()
            results = payment_run(month=month, by=None)
            elapsed = time.perf_counter() - started
            for r in results:
                if r.lines:
                    print(f"  {r.municipality}: {r.lines} lines ({r.adjustments} adjustments), {r.total} SEK")
            print(f"payment run {month:%Y-%m}: {elapsed:.2f} s, {sum(r.lines for r in results)} lines")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
