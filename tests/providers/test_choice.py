import collections
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jobbtorg.interventions.models import InterventionType
from jobbtorg.providers import services
from jobbtorg.providers.models import Application, Assignment, Authorisation
from jobbtorg.providers.selectors import authorised_providers, provider_results

from ..factories import ProviderFactory, ReferralFactory, UserFactory


@pytest.fixture
def coaching(db):
    return InterventionType.objects.get(code="individual_coaching")


def authorise(provider, itype, capacity=None, valid_from=dt.date(2020, 1, 1)):
    staff = UserFactory(role="provider_staff", provider=provider)
    application = Application.objects.create(
        provider=provider, intervention_type=itype, submitted_by=staff, status="approved"
    )
    return Authorisation.objects.create(
        provider=provider,
        intervention_type=itype,
        application=application,
        valid_from=valid_from,
        capacity=capacity,
    )


def _referral(caseworker, coach):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )


def test_person_chooses_an_authorised_provider(coaching, caseworker, coach):
    municipality = caseworker.district.municipality
    good, unauthorised = (
        ProviderFactory(municipality=municipality),
        ProviderFactory(municipality=municipality),
    )
    authorise(good, coaching)
    choice = services.choice_open(referral=_referral(caseworker, coach), intervention_type=coaching, by=coach)
    with pytest.raises(ValidationError):
        services.choice_make(choice=choice, provider=unauthorised, by=coach)
    assignment = services.choice_make(choice=choice, provider=good, by=coach)
    assert assignment.provider == good and assignment.source == "coach_with_participant"
    choice.refresh_from_db()
    assert choice.status == "chosen"


def test_default_assignment_rotates_fairly_and_skips_full_providers(coaching, caseworker, coach):
    municipality = caseworker.district.municipality
    a, b, c = (ProviderFactory(municipality=municipality) for _ in range(3))
    authorise(a, coaching)
    authorise(b, coaching)
    authorise(c, coaching, capacity=2)
    today = timezone.localdate()
    got = []
    for _ in range(12):
        choice = services.choice_open(
            referral=_referral(caseworker, coach), intervention_type=coaching, by=coach, days=0
        )
        assignment = services.choice_assign_default(
            choice=choice, by=coach, today=today + dt.timedelta(days=1)
        )
        got.append(assignment.provider)
        assert "No choice made" in assignment.reason and assignment.source == "default_rotation"
    counts = collections.Counter(p.pk for p in got)
    assert counts[c.pk] == 2  # its capacity
    assert counts[a.pk] == counts[b.pk] == 5  # the rest shared evenly
    assert got[:3] == sorted([a, b, c], key=lambda p: p.pk)  # round robin in a fixed order


def test_no_default_before_the_deadline(coaching, caseworker, coach):
    authorise(ProviderFactory(municipality=caseworker.district.municipality), coaching)
    choice = services.choice_open(
        referral=_referral(caseworker, coach), intervention_type=coaching, by=coach, days=14
    )
    assert services.choice_assign_default(choice=choice, by=coach) is None
    assert not Assignment.objects.exists()


def test_change_of_provider_keeps_history(coaching, caseworker, coach):
    municipality = caseworker.district.municipality
    first, second = ProviderFactory(municipality=municipality), ProviderFactory(municipality=municipality)
    authorise(first, coaching)
    authorise(second, coaching)
    choice = services.choice_open(referral=_referral(caseworker, coach), intervention_type=coaching, by=coach)
    assignment = services.choice_make(choice=choice, provider=first, by=coach)
    with pytest.raises(ValidationError):
        services.assignment_change(assignment=assignment, provider=second, reason="", by=coach)
    new = services.assignment_change(
        assignment=assignment,
        provider=second,
        reason="Vill ha kvinnlig coach",
        by=coach,
        on=timezone.localdate() + dt.timedelta(days=3),
    )
    assignment.refresh_from_db()
    assert assignment.end_date is not None and assignment.end_reason == "Vill ha kvinnlig coach"
    assert new.provider == second and new.source == "change"
    assert Assignment.objects.filter(participant=assignment.participant).count() == 2


def test_comparison_says_not_enough_data_below_the_minimum(coaching, caseworker, coach, settings):
    settings.JOBBTORG_COMPARISON_MIN_COUNT = 3
    municipality = caseworker.district.municipality
    big, small = ProviderFactory(municipality=municipality), ProviderFactory(municipality=municipality)
    authorise(big, coaching)
    authorise(small, coaching)
    for provider, reasons in ((big, ["work", "studies", "moved", "interrupted"]), (small, ["work"])):
        for reason in reasons:
            referral = ReferralFactory(
                closed=True,
                close_reason=reason,
                district=caseworker.district,
                participant__district=caseworker.district,
            )
            Assignment.objects.create(
                participant=referral.participant,
                referral=referral,
                provider=provider,
                intervention_type=coaching,
                source="default_rotation",
                created_by=coach,
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2026, 3, 1),
            )
    providers = authorised_providers(
        municipality=municipality, intervention_type=coaching, on=timezone.localdate()
    )
    results = provider_results(providers=providers, intervention_type=coaching)
    assert results[big.pk]["work_or_studies"].share == 0.5 and results[big.pk]["work_or_studies"].count == 4
    assert not results[small.pk]["work_or_studies"].enough
    assert not results[big.pk]["self_supporting_6m"].enough


def test_a_full_provider_cannot_be_chosen(coaching, caseworker, coach):
    full = ProviderFactory(municipality=caseworker.district.municipality)
    authorise(full, coaching, capacity=1)
    first = services.choice_open(referral=_referral(caseworker, coach), intervention_type=coaching, by=coach)
    services.choice_make(choice=first, provider=full, by=coach)
    second = services.choice_open(referral=_referral(caseworker, coach), intervention_type=coaching, by=coach)
    with pytest.raises(ValidationError) as exc:
        services.choice_make(choice=second, provider=full, by=coach)
    assert "no free place" in str(exc.value)


def test_closing_the_referral_cancels_open_choices_and_ends_assignments(coaching, caseworker, coach):
    from jobbtorg.referrals.services import referral_close

    provider = ProviderFactory(municipality=caseworker.district.municipality)
    authorise(provider, coaching)
    other_type = InterventionType.objects.get(code="job_matching")
    authorise(provider, other_type)
    referral = _referral(caseworker, coach)
    chosen = services.choice_open(referral=referral, intervention_type=coaching, by=coach)
    services.choice_make(choice=chosen, provider=provider, by=coach)
    pending = services.choice_open(referral=referral, intervention_type=other_type, by=coach)
    referral_close(referral=referral, by=coach, reason="work", version=referral.lock_version)
    pending.refresh_from_db()
    assert pending.status == "cancelled"
    assert not Assignment.objects.current().filter(referral=referral).exists()
    with pytest.raises(ValidationError):
        services.choice_open(referral=referral, intervention_type=coaching, by=coach)
