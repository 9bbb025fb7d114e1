import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobbtorg.audit.models import ChangeLog
from jobbtorg.participants.models import Participant
from jobbtorg.participants.selectors import consent_is_given
from jobbtorg.referrals import services
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.errors import ConflictError, TransitionNotAllowed

from ..factories import DistrictFactory, UnitFactory, UserFactory

PERSON = {
    "personal_number": "19850709-9805",
    "first_name": "Amina",
    "last_name": "Hassan",
    "target_group": "unemployed_on_assistance",
    "reason": "Arbetslös, vill arbeta inom vården",
    "assistance_status": "receiving",
    "consent_given": True,
}


def test_referral_is_routed_to_the_unit_serving_the_district(caseworker, district):
    referral = services.referral_create(by=caseworker, referral_date=dt.date(2026, 12, 21), **PERSON)
    assert referral.unit == district.unit and not referral.unit_chosen_by_participant
    assert referral.status == ReferralStatus.RECEIVED
    assert referral.plan_due_date == dt.date(2026, 12, 30)
    person = referral.participant
    assert person.personal_number == "198507099805" and person.district == district
    assert consent_is_given(participant=person)
    assert list(referral.events.values_list("to_status", flat=True)) == ["received"]
    assert ChangeLog.objects.filter(action="referral_created", participant_id=person.pk).exists()


def test_the_person_may_choose_another_unit(caseworker, district):
    other = UnitFactory(municipality=district.municipality, name="Jobbtorg Sydväst")
    referral = services.referral_create(by=caseworker, chosen_unit=other, **PERSON)
    assert referral.unit == other and referral.unit_chosen_by_participant


def test_a_unit_of_another_municipality_cannot_be_chosen(caseworker):
    foreign = UnitFactory(municipality__code="0182", municipality__name="Nacka")
    with pytest.raises(ValidationError) as exc:
        services.referral_create(by=caseworker, chosen_unit=foreign, **PERSON)
    assert "chosen_unit" in exc.value.message_dict
    assert not Referral.objects.exists() and not Participant.objects.exists()


def test_second_open_referral_is_refused_with_a_clear_message(caseworker):
    services.referral_create(by=caseworker, **PERSON)
    with pytest.raises(ValidationError) as exc:
        services.referral_create(by=caseworker, **PERSON)
    assert "open referral" in exc.value.message_dict["personal_number"][0]
    assert Referral.objects.count() == 1


def test_a_closed_referral_allows_a_new_one(caseworker):
    first = services.referral_create(by=caseworker, **PERSON)
    services.referral_close(referral=first, by=caseworker, reason="moved", version=first.lock_version)
    second = services.referral_create(by=caseworker, **PERSON)
    assert second.participant == first.participant and Referral.objects.count() == 2


def test_bad_identity_number_writes_nothing(caseworker):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(by=caseworker, **{**PERSON, "personal_number": "19850709-9806"})
    assert "personal_number" in exc.value.message_dict
    assert not Participant.objects.exists() and not ChangeLog.objects.exists()


def test_bad_choice_value_writes_nothing(caseworker):
    with pytest.raises(ValidationError) as exc:
        services.referral_create(by=caseworker, **{**PERSON, "target_group": "nonsense"})
    assert "target_group" in exc.value.message_dict
    assert not Participant.objects.exists() and not Referral.objects.exists()


def test_person_of_another_district_cannot_be_referred(caseworker, district):
    services.referral_create(by=caseworker, **PERSON)
    neighbour = UserFactory(caseworker=True, district=DistrictFactory(unit=district.unit))
    with pytest.raises(ValidationError) as exc:
        services.referral_create(by=neighbour, **PERSON)
    assert "another district" in exc.value.message_dict["personal_number"][0]


@pytest.mark.parametrize("role", ["coach", "unit_head", "analyst", "provider_staff"])
def test_only_caseworkers_refer(role, unit):
    user = (
        UserFactory(**{role: True})
        if role in ("analyst", "provider_staff")
        else UserFactory(**{role: True}, unit=unit)
    )
    with pytest.raises(PermissionDenied):
        services.referral_create(by=user, **PERSON)


def test_accept_return_resubmit_and_close(caseworker, coach):
    referral = services.referral_create(by=caseworker, **PERSON)
    services.referral_return(
        referral=referral, by=coach, reason="Fel målgrupp", version=referral.lock_version
    )
    assert referral.status == ReferralStatus.RETURNED and referral.return_reason == "Fel målgrupp"
    services.referral_resubmit(
        referral=referral, by=caseworker, comment="Rättat", version=referral.lock_version
    )
    services.referral_accept(referral=referral, by=coach, version=referral.lock_version)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.coach == coach and referral.accepted_at
    services.referral_close(referral=referral, by=coach, reason="work", version=referral.lock_version)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.closed_at
    assert list(referral.events.values_list("to_status", flat=True)) == [
        "received",
        "returned",
        "received",
        "accepted",
        "closed",
    ]
    with pytest.raises(TransitionNotAllowed):
        services.referral_accept(referral=referral, by=coach, version=referral.lock_version)


def test_return_needs_a_reason_and_close_a_known_reason(caseworker, coach):
    referral = services.referral_create(by=caseworker, **PERSON)
    with pytest.raises(ValidationError):
        services.referral_return(referral=referral, by=coach, reason="  ", version=referral.lock_version)
    with pytest.raises(ValidationError):
        services.referral_close(
            referral=referral, by=caseworker, reason="holiday", version=referral.lock_version
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED


def test_staff_of_another_unit_cannot_accept(caseworker, other_unit_coach):
    referral = services.referral_create(by=caseworker, **PERSON)
    with pytest.raises(PermissionDenied):
        services.referral_accept(referral=referral, by=other_unit_coach, version=referral.lock_version)


def test_two_coaches_acting_on_the_same_version_conflict(caseworker, coach, unit):
    referral = services.referral_create(by=caseworker, **PERSON)
    stale = Referral.objects.get(pk=referral.pk)
    services.referral_accept(referral=referral, by=coach, version=referral.lock_version)
    other = UserFactory(coach=True, unit=unit)
    with pytest.raises(ConflictError):
        services.referral_return(referral=stale, by=other, reason="x", version=stale.lock_version)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.coach == coach
