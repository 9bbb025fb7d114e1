"""The synthetic data set generator: consistent with the domain rules, deterministic, refuses a database that
already holds people."""

import datetime
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from jobbtorg.attendance.models import AttendanceReport
from jobbtorg.demo.dataset.generate import Generator
from jobbtorg.demo.dataset.sizes import SCALES
from jobbtorg.demo.dataset.writer import Loader
from jobbtorg.followup.models import AssistanceMonth, Exit
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.matching.models import Vacancy, VacancyStamp
from jobbtorg.participants.models import Participant
from jobbtorg.plans.constants import PlanStatus
from jobbtorg.plans.models import ActionPlan, Mapping
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.reporting.models import Case as CaseRow
from jobbtorg.reporting.models import Freshness
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.workdays import add_working_days, is_working_day

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 2)


def generate(**kwargs):
    call_command("generate_dataset", scale="demo", seed=7, today=TODAY, no_progress=True, **kwargs)


class HashingLoader(Loader):
    """Writes nothing; keeps a digest of every row each table would get."""

    def __init__(self):
        super().__init__(progress=False)
        self.digest = hashlib.sha256()

    def load(self, model, names, rows, *, total=None):
        for row in rows:
            self.digest.update(repr((model._meta.db_table, tuple(row))).encode())
        return 0

    def update_column(self, model, attname, pairs):
        self.digest.update(repr(sorted(pairs)).encode())

    def reset_sequences(self, model_list):
        pass

    def check_keys(self, model_list):
        return 0

    def defer_key_checks(self):
        return False


def test_the_generated_people_follow_the_flow():
    generate(participants=240)
    people = Participant.objects.count()
    assert people == 240
    for p in Participant.objects.all()[:50]:
        assert personal_numbers.normalize(p.personal_number) == p.personal_number  # valid, canonical
    # Every referral is due on the fifth working day; accepted ones have a coach, a mapping and a plan.
    for r in Referral.objects.all():
        assert r.plan_due_date == add_working_days(r.referral_date, 5)
    accepted = Referral.objects.filter(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.CLOSED])
    assert accepted.filter(coach__isnull=True).count() == 0
    assert Mapping.objects.filter(referral__in=accepted).count() == accepted.count()
    assert not Referral.objects.filter(status=ReferralStatus.RETURNED, mapping__isnull=False).exists()
    # The coach works at the unit the referral went to; the unit serves the person's district.
    assert not accepted.exclude(coach__unit=F("unit")).exists()
    assert not Referral.objects.exclude(district__unit=F("unit")).exists()
    # An approved plan points at its approved version, approved by the district's caseworker — or, for a
    # person the unit took in itself (an intake from another source, ADR 0020), by the unit's head.
    approved = ActionPlan.objects.filter(status=PlanStatus.APPROVED)
    assert approved.exists()
    assert not approved.filter(current_version__isnull=True).exists()
    by_district = approved.filter(referral__caseworker__isnull=False)
    assert not by_district.exclude(current_version__decided_by__district=F("referral__district")).exists()
    intakes = approved.filter(referral__caseworker__isnull=True)
    assert intakes.exists() and not intakes.filter(referral__source="social_services").exists()
    assert not intakes.exclude(
        current_version__decided_by__unit=F("referral__unit"), current_version__decided_by__role="unit_head"
    ).exists()
    # Closed referrals have an exit record; everyone else has none.
    closed = Referral.objects.filter(status=ReferralStatus.CLOSED)
    assert closed.exists() and Exit.objects.count() == closed.count()
    assert not Exit.objects.exclude(referral__status=ReferralStatus.CLOSED).exists()
    assert not Exit.objects.filter(reason="work", evidence="").exists()


def test_capacity_and_attendance_hold_the_rules():
    generate(participants=240)
    # booked_count is exactly the number of live bookings, and never above capacity.
    offerings = Offering.objects.annotate(
        live=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED))
    )
    assert offerings.exists()
    for o in offerings:
        assert o.booked_count == o.live <= o.capacity
    # Attendance only on working days, within the booking, before today, by someone allowed to report.
    reports = AttendanceReport.objects.select_related("booking", "reported_by")
    assert reports.count() > 1000
    for report in reports[:3000]:
        assert is_working_day(report.date)
        assert report.booking.start_date <= report.date < TODAY
        assert report.booking.end_date is None or report.date <= report.booking.end_date
        provider = report.booking.offering.provider_id
        assert report.reported_by.provider_id == provider if provider else report.reported_by.unit_id
    assert (
        not Booking.objects.filter(
            offering__provider__isnull=False, status__in=[BookingStatus.BOOKED, BookingStatus.ENDED]
        )
        .exclude(participant__consents__scope="jobbtorg_provider")
        .exists()
    )


def test_assistance_months_and_vacancies():
    generate(participants=240)
    assert AssistanceMonth.objects.count() > 240
    assert not AssistanceMonth.objects.exclude(month__day=1).exists()
    assert not AssistanceMonth.objects.filter(month__gte=TODAY.replace(day=1)).exists()
    # After an exit to work most have no assistance; the record says so month by month.
    work = Exit.objects.filter(reason="work").values_list("participant_id", "exit_date")
    after = [
        m for pid, day in work for m in AssistanceMonth.objects.filter(participant_id=pid, month__gt=day)
    ]
    assert after and sum(not m.paid for m in after) > len(after) / 2
    assert Vacancy.objects.count() == SCALES["demo"].vacancies
    assert not Vacancy.objects.filter(occupation__level__lt=4).exists()
    # The load ends with the rollups built (the dashboard never shows "not built yet" after it) and every
    # municipality's vacancy table stamped as changed (a worker that held one rebuilds it).
    loaded = set(Participant.objects.values_list("municipality_id", flat=True))
    fresh = Freshness.objects.filter(pk__in=loaded, refreshed_at__isnull=False, dirty_since__isnull=True)
    assert set(fresh.values_list("pk", flat=True)) == loaded
    assert CaseRow.objects.filter(municipality_id__in=loaded).count() == Referral.objects.count()
    employers = set(Vacancy.objects.values_list("employer__municipality_id", flat=True))
    assert set(VacancyStamp.objects.filter(version__gt=0).values_list("pk", flat=True)) == employers


def test_same_seed_same_data_other_seed_other_data():
    def digest(seed):
        loader = HashingLoader()
        Generator(scale=SCALES["demo"], seed=seed, today=TODAY, loader=loader).run()
        return loader.digest.hexdigest()

    assert digest(3) == digest(3)
    assert digest(3) != digest(4)


def test_refuses_a_database_that_already_has_people(accepted_referral):
    with pytest.raises(CommandError, match="already holds people"):
        generate()
    assert Participant.objects.count() == 1  # nothing half-written


def test_bad_arguments_are_refused_with_a_message():
    with pytest.raises(CommandError, match="at least 1"):
        generate(participants=0)
    with pytest.raises(CommandError):
        call_command("generate_dataset", scale="planet")
