"""A small municipality for the access tests: two units (A, B), their two districts, two providers (P, Q),
people on each side — one of them with protected identity — and one login per role.

Names are unique tokens so that a response can be searched for a person it must not show."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.attendance import services as attendance_services
from jobbtorg.documents import services as document_services
from jobbtorg.interventions import services as booking_services
from jobbtorg.journal import services as journal_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.partners import services as partner_services
from jobbtorg.partners.models import PartnerMeeting, PartnerRequest
from jobbtorg.plans.models import OtherPlanLink
from jobbtorg.providers.models import Assignment, ChoiceRequest
from jobbtorg.referrals import services as referral_services
from jobbtorg.utils import personal_numbers

from ..factories import (
    ActionPlanFactory,
    DistrictFactory,
    MappingFactory,
    OfferingFactory,
    PartnerOrganisationFactory,
    UnitFactory,
    UserFactory,
    partner_user,
    provider_user,
)

PROTECTED_ADDRESS = "Hemligavägen 77"


@dataclass
class Side:
    unit: object
    district: object
    caseworker: object
    coach: object
    provider: object
    people: dict = field(default_factory=dict)  # token -> participant
    objects: dict = field(default_factory=dict)  # kind -> list of ids


@dataclass
class World:
    a: Side
    b: Side
    users: dict  # role key -> user (side A, plus analyst/administrator/participant)
    visible: dict  # role key -> set of person tokens that login may see
    tokens: set

    def ids(self, kind: str, side: str | None = None) -> list:
        sides = [self.a, self.b] if side is None else [getattr(self, side)]
        return [value for s in sides for value in s.objects.get(kind, [])]


def _partner_work(side: Side, letter: str, partner) -> None:
    """Försäkringskassan works with the side's (unprotected) person: a hand-over meeting, a request for a
    rehabilitation assessment and a link of the plan to its plan. On side A the person consented to sharing
    with Försäkringskassan (booked through the services, which require it); on side B nobody consented, so
    the partner must see none of it (the rows are made directly)."""
    token = next(t for t in side.people if "Person" in t)
    person = side.people[token]
    referral = person.referrals.get()
    start = timezone.now() + dt.timedelta(days=2)
    if letter == "A":
        consent_record(
            participant=person, status="given", scope=ConsentScope.SOCIAL_INSURANCE, by=side.caseworker
        )
        meeting = partner_services.partner_meeting_book(
            referral=referral,
            by=side.coach,
            organisation=partner,
            kind="handover",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="Jobbtorg A",
        )
        request = partner_services.partner_request_send(
            referral=referral,
            by=side.coach,
            organisation=partner,
            kind="rehabilitation_assessment",
            question=f"Rehabiliteringsbedömning {letter}",
        )
    else:
        meeting = PartnerMeeting.objects.create(
            referral=referral,
            participant=person,
            organisation=partner,
            kind="handover",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="Jobbtorg B",
            organiser=side.coach,
        )
        request = PartnerRequest.objects.create(
            referral=referral,
            participant=person,
            organisation=partner,
            kind="rehabilitation_assessment",
            question=f"Rehabiliteringsbedömning {letter}",
            sent_by=side.coach,
        )
    link = OtherPlanLink.objects.create(
        plan=referral.plan, kind="other", reference=f"FK-{letter}", partner=partner
    )
    side.objects["partner_meeting"] = [meeting.pk]
    side.objects["partner_request"] = [request.pk]
    side.objects["plan_link"] = [link.pk]


def _side(letter: str, municipality=None) -> Side:
    unit = UnitFactory(name=f"Jobbtorg {letter}", **({"municipality": municipality} if municipality else {}))
    district = DistrictFactory(unit=unit, name=f"Stadsdel {letter}")
    caseworker = UserFactory(caseworker=True, district=district, username=f"socsek-{letter.lower()}")
    coach = UserFactory(coach=True, unit=unit, username=f"coach-{letter.lower()}")
    offering = OfferingFactory(
        municipality=unit.municipality, start_date=timezone.localdate() - dt.timedelta(days=30)
    )
    side = Side(unit, district, caseworker, coach, offering.provider)
    today = timezone.localdate()
    for index, protected in enumerate((False, True)):
        token = f"Zq{letter}{'Skydd' if protected else 'Person'}{index}"
        plan = ActionPlanFactory(
            referral__district=district,
            referral__participant__district=district,
            referral__participant__last_name=token,
            referral__participant__protected_identity=protected,
            referral__participant__address=PROTECTED_ADDRESS if protected else f"Öppna gatan {index}",
            referral__participant__email=f"{token.lower()}@example.org",
            referral__participant__phone=f"070-{ord(letter)}{index}0 00 0{index}",
            referral__caseworker=caseworker,
            referral__coach=coach,
        )
        referral = plan.referral
        MappingFactory(referral=referral, participant=referral.participant)
        side.people[token] = referral.participant
        objects = side.objects
        entry = journal_services.entry_write(
            referral=referral,
            kind="meeting",
            occurred_on=today,
            body=f"Anteckning {letter}",
            by=coach,
            sign=True,
        )
        objects.setdefault("entry", []).append(entry.pk)
        document = document_services.document_upload(
            referral=referral,
            kind="cv",
            document_date=today,
            uploaded_file=SimpleUploadedFile(f"cv-{letter}-{index}.pdf", b"%PDF-1.4 cv"),
            by=coach,
        )
        objects.setdefault("document", []).append(document.pk)
        objects.setdefault("participant", []).append(referral.participant.pk)
        objects.setdefault("referral", []).append(referral.pk)
        objects.setdefault("plan", []).append(plan.pk)
        if protected:
            continue
        # A send-back the caseworker disputed: escalated to the unit heads of both sides.
        send_back = referral_services.referral_send_back(
            referral=referral, by=coach, reason="other_support_first", explanation=f"Vård först {letter}"
        )
        referral_services.send_back_dispute(send_back=send_back, by=caseworker, comment="Håller inte med")
        referral.refresh_from_db()
        objects.setdefault("send_back", []).append(send_back.pk)
        consent_record(
            participant=referral.participant,
            status="given",
            scope=ConsentScope.JOBBTORG_PROVIDER,
            by=caseworker,
        )
        booking = booking_services.booking_create(
            offering=offering, referral=referral, by=coach, start_date=today - dt.timedelta(days=10)
        )
        start = timezone.now() + dt.timedelta(days=1)
        appointment = attendance_services.appointment_create(
            referral=referral,
            by=coach,
            kind="three_party",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            place="Jobbtorg",
        )
        day = today - dt.timedelta(days=1)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        attendance_services.attendance_event_record(
            booking=booking, kind="interruption", day=day, reason="Slutade komma", by=coach
        )
        objects.setdefault("booking", []).append(booking.pk)
        provider_document = document_services.document_upload(
            referral=referral,
            kind="other",
            document_date=today,
            uploaded_file=SimpleUploadedFile(f"intyg-{letter}.pdf", b"%PDF-1.4 intyg"),
            by=provider_user(offering.provider, username=f"anordnare-uppladdare-{letter.lower()}"),
        )
        objects.setdefault("document", []).append(provider_document.pk)
        objects.setdefault("appointment", []).append(appointment.pk)
        objects.setdefault("notice", []).extend(referral.notices.values_list("pk", flat=True))
        objects.setdefault("assignment", []).extend(
            Assignment.objects.filter(participant=referral.participant).values_list("pk", flat=True)
        )
        objects.setdefault("choice", []).extend(
            ChoiceRequest.objects.filter(referral=referral).values_list("pk", flat=True)
        )
    # A person the unit took in itself (intake from Arbetsförmedlingen, ADR 0020): the unit's staff see
    # them, the district's caseworker does not — not the referral, the booking nor the meeting.
    token = f"Zq{letter}Intag"
    intake = referral_services.referral_intake(
        by=coach,
        personal_number=personal_numbers.make(dt.date(1979, 3, 1 if letter == "A" else 2), 456),
        first_name="Intag",
        last_name=token,
        email=f"{token.lower()}@example.org",
        district=district,
        source="employment_service",
        target_group="unemployed_on_assistance",
        reason=f"Inskrivning {letter}",
        consent_given=True,
    )
    side.people[token] = intake.participant
    intake_booking = booking_services.booking_create(
        offering=offering, referral=intake, by=coach, start_date=today - dt.timedelta(days=10)
    )
    start = timezone.now() + dt.timedelta(days=2)
    intake_meeting = attendance_services.appointment_create(
        referral=intake,
        by=coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg",
    )
    side.objects["participant"].append(intake.participant.pk)
    side.objects["referral"].append(intake.pk)
    side.objects["booking"].append(intake_booking.pk)
    side.objects["appointment"].append(intake_meeting.pk)
    side.objects["offering"] = [offering.pk]
    side.objects["provider"] = [offering.provider.pk]
    side.objects["intervention_type"] = [offering.intervention_type_id]
    return side


def build_world() -> World:
    a = _side("A")
    b = _side("B", municipality=a.unit.municipality)
    person_a = next(p for token, p in a.people.items() if "Person" in token)
    insurance = PartnerOrganisationFactory(municipality=a.unit.municipality, name="Försäkringskassan (test)")
    _partner_work(a, "A", insurance)
    _partner_work(b, "B", insurance)
    users = {
        "caseworker": a.caseworker,
        "job_coach": a.coach,
        "career_counsellor": UserFactory(counsellor=True, unit=a.unit, username="syv-a"),
        "matcher": UserFactory(matcher=True, unit=a.unit, username="matchare-a"),
        "unit_head": UserFactory(unit_head=True, unit=a.unit, username="chef-a"),
        "district_head": UserFactory(district_head=True, district=a.district, username="stadsdelschef-a"),
        "provider_staff": provider_user(a.provider, username="anordnare-p"),
        "analyst": UserFactory(analyst=True, username="analytiker", municipality=a.unit.municipality),
        "administrator": UserFactory(administrator=True, username="admin", municipality=a.unit.municipality),
        "participant": UserFactory(role=Role.PARTICIPANT, participant=person_a, username="deltagare-a"),
        "partner_staff": partner_user(insurance, username="fk-handlaggare"),
    }
    a_tokens = set(a.people)
    person_token = next(token for token in a.people if "Person" in token)
    intake_tokens = {token for token in a.people if "Intag" in token}
    visible = {
        "caseworker": a_tokens - intake_tokens,  # the unit's intakes are not the district's case
        "job_coach": a_tokens,
        "career_counsellor": a_tokens,
        "matcher": a_tokens,
        "unit_head": a_tokens,
        "district_head": {person_token},  # only the person whose send-back was escalated
        "provider_staff": {person_token},
        "analyst": set(),
        "administrator": set(),
        "participant": {person_token},
        "partner_staff": {person_token},  # consented to sharing with Försäkringskassan (side B's did not)
        "anonymous": set(),
    }
    return World(a=a, b=b, users=users, visible=visible, tokens=a_tokens | set(b.people))
