"""Withdrawing the consent district ↔ Jobbtorg ends the referral's basis at once: the caseworker gets a
notice, the open referral closes with the reason "consent withdrawn" (assignments and bookings end that day),
and from then on Jobbtorg and provider staff see only that a case existed and was closed — not its content.
The records stay (retention, the unit head's read-log review); the provider keeps its payment lines, without
name or number. Given again later, a new referral is needed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.attendance.models import Notice
from jobbtorg.audit.models import ReadLog
from jobbtorg.audit.selectors import unusual_reads
from jobbtorg.audit.services import read_record
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.services import consent_record
from jobbtorg.providers.models import Assignment
from jobbtorg.referrals.constants import CloseReason, ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.services import referral_create

from ..security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def person(world):
    token = next(t for t in world.a.people if "Person" in t)
    return token, world.a.people[token]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _withdraw_in_the_portal(world):
    response = _client(world.users["participant"]).post(
        reverse("portal:consent"),
        {"scope": ConsentScope.DISTRICT_JOBBTORG, "action": "withdraw", "confirmed": "True"},
    )
    assert response.status_code == 302


def _withdraw_by_the_caseworker(world, person):
    response = _client(world.a.caseworker).post(
        reverse("participants:consent", args=[person.pk]),
        {"consent-status": "withdrawn", "consent-effective_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302


def _jobbtorg_sees(client, referral, token) -> dict[str, bool]:
    person = referral.participant
    return {
        "person_page": client.get(reverse("participants:detail", args=[person.pk])).status_code == 200,
        "referral_page": client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200,
        "mapping_page": client.get(reverse("plans:mapping", args=[referral.pk])).status_code == 200,
        "plan_page": client.get(reverse("plans:plan", args=[referral.pk])).status_code == 200,
        "person_search": reverse("participants:detail", args=[person.pk])
        in client.get(reverse("participants:search"), {"q": token.rstrip("0123456789")}).text,
        "api_person": client.get(f"/api/participants/{person.pk}/").status_code == 200,
        "api_referral": client.get(f"/api/referrals/{referral.pk}/").status_code == 200,
        "api_mapping": client.get(f"/api/referrals/{referral.pk}/mapping/").status_code == 200,
        "api_plan": client.get(f"/api/plans/{referral.plan.pk}/").status_code == 200,
        "api_people": token in client.get("/api/participants/").text,
        "api_bookings": str(referral.pk) in client.get("/api/bookings/").text,
        "api_appointments": str(referral.pk) in client.get("/api/appointments/").text,
    }


@pytest.mark.parametrize("how", ["portal", "caseworker"])
def test_withdrawal_closes_the_referral_notifies_and_ends_access(
    world, person, how, django_capture_on_commit_callbacks
):
    token, participant = person
    referral = Referral.objects.get(participant=participant)
    type(world.a.caseworker).objects.filter(pk=world.a.caseworker.pk).update(email="socsek-a@kommun.se")
    world.a.caseworker.refresh_from_db()
    coach = _client(world.a.coach)
    before = _jobbtorg_sees(coach, referral, token)
    assert all(before.values()), before

    with django_capture_on_commit_callbacks(execute=True):
        if how == "portal":
            _withdraw_in_the_portal(world)
        else:
            _withdraw_by_the_caseworker(world, participant)

    # the referral's basis ended: closed with the reason, provider work and places end that day
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert referral.close_reason == CloseReason.CONSENT_WITHDRAWN
    today = timezone.localdate()
    assert [a.end_date for a in Assignment.objects.filter(referral=referral)] == [today]
    booking = Booking.objects.get(referral=referral)
    assert booking.status == BookingStatus.ENDED and booking.end_date == today

    # the caseworker is told at once: a notice in the inbox, an e-mail with a link and no personal data
    notice = Notice.objects.get(referral=referral, kind="consent_withdrawn")
    assert notice.district_id == referral.district_id and notice.acknowledged_at is None
    assert token in _client(world.a.caseworker).get(reverse("attendance:notices")).text
    sent = [m.body for m in mail.outbox if m.to == [world.a.caseworker.email]]
    private = (token, participant.personal_number, participant.masked_personal_number, participant.first_name)
    assert sent and not any(value in body for body in sent for value in private)

    # Jobbtorg staff no longer see the content, anywhere
    after = _jobbtorg_sees(coach, referral, token)
    assert not any(after.values()), after
    for role in ("career_counsellor", "matcher", "unit_head"):
        other = _client(world.users[role])
        assert other.get(reverse("participants:detail", args=[participant.pk])).status_code == 404, role

    # … only that a case existed and was closed
    listing = coach.get(reverse("referrals:list")).text
    assert token not in listing and participant.masked_personal_number not in listing
    assert reverse("referrals:detail", args=[referral.pk]) not in listing
    assert "Consent withdrawn" in listing or "Samtycket återkallat" in listing

    # the district keeps its case; the person keeps their own page
    district = _client(world.a.caseworker)
    assert district.get(reverse("participants:detail", args=[participant.pk])).status_code == 200
    assert _client(world.users["participant"]).get(reverse("portal:home")).status_code == 200


def test_the_other_people_of_the_unit_are_untouched(world, person):
    token, _participant = person
    _withdraw_in_the_portal(world)
    coach = _client(world.a.coach)
    others = [p for t, p in world.a.people.items() if t != token]
    for other in others:
        assert coach.get(reverse("participants:detail", args=[other.pk])).status_code == 200
    listing = coach.get(reverse("referrals:list")).text
    assert all(t in listing for t in world.a.people if t != token)


def test_provider_loses_access_and_keeps_its_payment_lines_without_name(world, person):
    from jobbtorg.payments import schemes
    from jobbtorg.payments.models import PaymentLine, PaymentRun

    token, participant = person
    referral = Referral.objects.get(participant=participant)
    provider = world.a.provider
    model = schemes.nacka_jobbpeng(municipality=provider.municipality, valid_from=dt.date(2020, 1, 1))
    rule = model.versions.get().rules.get(code="monthly")
    month = timezone.localdate().replace(day=1)
    run = PaymentRun.objects.create(
        municipality=provider.municipality, month=month, computed_at=timezone.now()
    )
    line = PaymentLine.objects.create(
        run=run,
        provider=provider,
        participant=participant,
        referral=referral,
        model=model,
        rule=rule,
        rule_code=rule.code,
        kind=rule.kind,
        period=f"m:{month:%Y-%m}",
        period_month=month,
        amount=Decimal("3686.00"),
    )
    staff = _client(world.users["provider_staff"])
    page = reverse("payments:provider", args=[provider.pk])
    assert token in staff.get(page, {"month": f"{month:%Y-%m}"}).text  # while the provider serves the person

    _withdraw_in_the_portal(world)

    assert staff.get(f"/api/participants/{participant.pk}/").status_code == 404
    assert token not in staff.get(reverse("attendance:provider_home")).text
    shown = staff.get(page, {"month": f"{month:%Y-%m}"}).text
    assert rule.label in shown  # the line is still there …
    assert token not in shown and participant.masked_personal_number not in shown  # … without name or number
    pdf = staff.get(reverse("payments:provider_pdf", args=[provider.pk]), {"month": f"{month:%Y-%m}"})
    assert pdf.status_code == 200 and participant.masked_personal_number.encode() not in pdf.content
    csv = staff.get(reverse("payments:provider_csv", args=[provider.pk]), {"month": f"{month:%Y-%m}"})
    assert csv.status_code == 200 and participant.masked_personal_number not in csv.content.decode()
    api = staff.get("/api/payment-lines/", {"month": f"{month:%Y-%m}"}).json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [row["id"] for row in rows] == [line.pk] and rows[0]["participant"] is None
    assert token not in staff.get(f"/api/payment-lines/{line.pk}/").text
    export = staff.get("/api/payment-lines/export/", {"month": f"{month:%Y-%m}"})
    assert participant.masked_personal_number not in export.content.decode()
    # no read of the person is logged for the provider after the access ended
    reads = ReadLog.objects.filter(user=world.users["provider_staff"], participant_id=participant.pk)
    assert not reads.filter(at__gte=Referral.objects.get(pk=referral.pk).closed_at).exists()
    # finance still sees who the line is for
    finance = _client(world.users["administrator"])
    assert token in finance.get(page, {"month": f"{month:%Y-%m}"}).text


def test_the_records_stay_for_the_unit_heads_log_review(world, person):
    token, participant = person
    coach_read = read_record(user=world.a.coach, participant=participant, view="participant_detail")
    _withdraw_in_the_portal(world)
    head = world.users["unit_head"]
    assert ReadLog.objects.visible_to(head).filter(pk=coach_read.pk).exists()
    # the coach's earlier read is not "outside the unit": the person was referred to it
    assert coach_read.pk not in {entry.pk for entry in unusual_reads(user=head)["outside"]}
    assert Referral.objects.filter(participant=participant).exists()


def test_given_again_a_new_referral_is_needed(world, person):
    token, participant = person
    old = Referral.objects.get(participant=participant)
    _withdraw_in_the_portal(world)
    consent_record(participant=participant, status=ConsentStatus.GIVEN, by=world.a.caseworker)
    coach = _client(world.a.coach)
    assert coach.get(reverse("participants:detail", args=[participant.pk])).status_code == 404

    new = referral_create(
        by=world.a.caseworker,
        personal_number=participant.personal_number,
        first_name=participant.first_name,
        last_name=participant.last_name,
        target_group="unemployed_on_assistance",
        reason="Ny remiss efter nytt samtycke.",
        assistance_status="receiving",
        consent_given=True,
    )
    assert coach.get(reverse("participants:detail", args=[participant.pk])).status_code == 200
    assert coach.get(reverse("referrals:detail", args=[new.pk])).status_code == 200
    # the old case's content stays out
    assert coach.get(reverse("referrals:detail", args=[old.pk])).status_code == 404


def test_a_referral_made_without_consent_is_not_closed_by_it(world):
    """Unchanged behaviour: the caseworker may refer and record that consent is not (yet) given."""
    referral = referral_create(
        by=world.a.caseworker,
        personal_number="19850505-1238",
        first_name="Utan",
        last_name="Samtycke",
        target_group="unemployed_on_assistance",
        reason="Remiss utan samtycke.",
        assistance_status="receiving",
        consent_given=False,
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED
    assert _client(world.a.coach).get(reverse("referrals:detail", args=[referral.pk])).status_code == 200


def test_other_scopes_do_not_close_the_referral(world, person):
    _token, participant = person
    consent_record(
        participant=participant,
        status=ConsentStatus.WITHDRAWN,
        scope=ConsentScope.EMPLOYMENT_SERVICE,
        by=world.a.caseworker,
    )
    assert Referral.objects.get(participant=participant).status == ReferralStatus.ACCEPTED
    assert not Notice.objects.filter(kind="consent_withdrawn").exists()


def test_the_reason_is_not_chosen_by_hand(world, person):
    """The reason "consent withdrawn" follows from recording the withdrawal: by hand it is a field error."""
    _token, participant = person
    referral = Referral.objects.get(participant=participant)
    client = _client(world.a.coach)
    response = client.post(
        f"/api/referrals/{referral.pk}/close/",
        {"reason": CloseReason.CONSENT_WITHDRAWN, "version": referral.lock_version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "reason" in response.json()
    page = client.get(reverse("referrals:detail", args=[referral.pk])).text
    assert f'value="{CloseReason.CONSENT_WITHDRAWN}"' not in page
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
