"""The demo municipality: organisation, every role, every stage of the flow, determinism, --if-empty."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import District, Municipality, Unit, User
from jobbtorg.audit.models import ChangeLog
from jobbtorg.demo import seed as demo
from jobbtorg.participants.models import Participant
from jobbtorg.plans.constants import PlanStatus, Tier
from jobbtorg.plans.models import ActionPlan, Mapping, PlanVersion
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral, ReferralEvent
from jobbtorg.utils import personal_numbers

pytestmark = pytest.mark.django_db

SMALL = 40
TINY = 15  # one person per stage of the flow


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


class _Rollback(Exception):
    pass


def personal_numbers_after_seed(seed_value: int) -> list[tuple[str, str, str]]:
    """Seed in a transaction that is rolled back afterwards: each call starts from the same empty database."""
    collected: list = []
    try:
        with transaction.atomic():
            seed(seed=seed_value, participants=TINY)
            collected = list(
                Participant.objects.order_by("personal_number").values_list(
                    "personal_number", "first_name", "district__name"
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    assert not Municipality.objects.exists()
    return collected


@pytest.fixture
def seeded(db) -> str:
    return seed(participants=SMALL)


def test_demo_municipality(seeded):
    """One seed, checked from every side (seeding is the slow part)."""
    check_organisation_and_staff_of_every_role(seeded)
    check_demo_logins_are_fixed_and_share_the_password()
    check_every_stage_of_the_flow_through_the_services()
    check_plans_approved_in_time_and_late()
    check_identity_numbers()


def check_organisation_and_staff_of_every_role(output: str):
    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.code) == ("Stockholms stad (demo)", "0180")
    assert set(Unit.objects.values_list("name", flat=True)) == {
        "Jobbtorg Järva",
        "Jobbtorg Sydost",
        "Jobbtorg Sydväst",
        "Jobbtorg Innerstaden",
        "Jobbtorg Västerort",
    }
    assert District.objects.count() == 14
    assert set(District.objects.filter(unit__name="Jobbtorg Järva").values_list("name", flat=True)) == {
        "Rinkeby-Kista",
        "Spånga-Tensta",
    }
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for district in District.objects.all():
        assert district.staff.filter(role=Role.CASEWORKER).exists(), district
    for unit in Unit.objects.all():
        roles = list(unit.staff.values_list("role", flat=True))
        assert 2 <= roles.count(Role.JOB_COACH) <= 3, unit
        for role in (Role.CAREER_COUNSELLOR, Role.MATCHER, Role.UNIT_HEAD):
            assert role in roles, (unit, role)
    assert "referrals by status" in output


def check_demo_logins_are_fixed_and_share_the_password():
    expected = {
        "handlaggare": (Role.CASEWORKER, None, "Rinkeby-Kista"),
        "coach": (Role.JOB_COACH, "Jobbtorg Järva", None),
        "syv": (Role.CAREER_COUNSELLOR, "Jobbtorg Järva", None),
        "matchare": (Role.MATCHER, "Jobbtorg Järva", None),
        "enhetschef": (Role.UNIT_HEAD, "Jobbtorg Järva", None),
        "analytiker": (Role.ANALYST, None, None),
        "admin": (Role.ADMINISTRATOR, None, None),
        "anordnare": (Role.PROVIDER_STAFF, None, None),
    }
    for username, (role, unit, district) in expected.items():
        user = User.objects.select_related("unit", "district").get(username=username)
        assert user.role == role
        assert (user.unit.name if user.unit else None) == unit
        assert (user.district.name if user.district else None) == district
        assert user.check_password("demo-jobbtorg")
        assert user.groups.filter(name=role).exists()
    assert User.objects.get(username="admin").is_staff
    assert all(u.check_password(demo.PASSWORD) for u in User.objects.all())


def check_every_stage_of_the_flow_through_the_services():
    assert Participant.objects.count() == SMALL
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(ActionPlan.objects.values_list("status", flat=True)) == set(PlanStatus.values)
    assert set(Mapping.objects.values_list("tier", flat=True)) == set(Tier.values)
    assert Referral.objects.filter(status=ReferralStatus.ACCEPTED, mapping__isnull=True).exists()
    assert Referral.objects.filter(mapping__isnull=False, plan__isnull=True).exists()
    assert not Referral.objects.filter(status=ReferralStatus.CLOSED, close_reason="").exists()
    # The services left their trail: a history row and an audit entry for every referral.
    assert ReferralEvent.objects.filter(from_status="").count() == Referral.objects.count()
    assert ChangeLog.objects.filter(action="referral_created").count() == Referral.objects.count()
    assert (
        ChangeLog.objects.filter(action="plan_approved").count()
        == PlanVersion.objects.filter(status="approved").count()
    )
    # Referral dates spread over the last weeks; decisions never in the future.
    dates = list(Referral.objects.values_list("referral_date", flat=True))
    today = timezone.localdate()
    assert max(dates) <= today and (today - min(dates)).days >= 14
    assert not PlanVersion.objects.filter(decided_at__gt=timezone.now()).exists()


def check_plans_approved_in_time_and_late():
    in_time = late = 0
    for plan in ActionPlan.objects.filter(first_approved_at__isnull=False).select_related("referral"):
        approved_on = timezone.localtime(plan.first_approved_at).date()
        assert approved_on >= plan.referral.referral_date
        if approved_on <= plan.referral.plan_due_date:
            in_time += 1
        else:
            late += 1
        assert plan.current_version.decided_at == plan.first_approved_at or plan.status == PlanStatus.DRAFT
    assert in_time and late


def check_identity_numbers():
    """Valid numbers, some coordination numbers and protected identities; Järva about 30 %."""
    numbers = list(Participant.objects.values_list("personal_number", flat=True))
    assert all(personal_numbers.normalize(n) == n for n in numbers)
    assert any(personal_numbers.is_coordination_number(n) for n in numbers)
    assert Participant.objects.filter(protected_identity=True).exists()
    # Järva is the largest region, about 30 % of the people.
    jarva = Participant.objects.filter(district__unit__name="Jobbtorg Järva").count()
    assert 0.25 * SMALL <= jarva <= 0.4 * SMALL


def test_the_same_seed_gives_the_same_people():
    first = personal_numbers_after_seed(7)
    second = personal_numbers_after_seed(7)
    other = personal_numbers_after_seed(8)

    assert len(first) == TINY
    assert first == second
    assert first != other


def test_if_empty_does_nothing_the_second_time():
    seed(participants=TINY, if_empty=True)
    counts = (Participant.objects.count(), Referral.objects.count(), User.objects.count())

    output = seed(participants=TINY, if_empty=True)

    assert "not loaded again" in output
    assert (Participant.objects.count(), Referral.objects.count(), User.objects.count()) == counts


def test_demo_logins_command():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "No demo data" in out.getvalue()

    seed(participants=TINY)
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    for login in demo.DEMO_LOGINS:
        assert login.username in text
    assert "demo-jobbtorg" in text
