"""Factories with traits named after business states: ReferralFactory(accepted=True),
ActionPlanFactory(proposed=True)."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import District, Municipality, Unit, User
from jobbtorg.interventions.models import InterventionType
from jobbtorg.participants.models import Participant
from jobbtorg.partners.constants import PartnerKind
from jobbtorg.partners.models import PartnerOrganisation
from jobbtorg.plans.constants import PlanStatus, VersionStatus
from jobbtorg.plans.models import ActionPlan, Mapping, PlanActivity, PlanVersion
from jobbtorg.referrals import deadline
from jobbtorg.referrals.constants import AssistanceStatus, ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import personal_numbers

_serials = itertools.count(1)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    name = "Teststad"
    code = "0180"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Jobbtorg {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SelfAttribute("unit.municipality")
    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Stadsdel {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare{n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-password-123")

    class Params:
        caseworker = factory.Trait(role=Role.CASEWORKER, district=factory.SubFactory(DistrictFactory))
        coach = factory.Trait(role=Role.JOB_COACH, unit=factory.SubFactory(UnitFactory))
        counsellor = factory.Trait(role=Role.CAREER_COUNSELLOR, unit=factory.SubFactory(UnitFactory))
        matcher = factory.Trait(role=Role.MATCHER, unit=factory.SubFactory(UnitFactory))
        unit_head = factory.Trait(role=Role.UNIT_HEAD, unit=factory.SubFactory(UnitFactory))
        district_head = factory.Trait(role=Role.DISTRICT_HEAD, district=factory.SubFactory(DistrictFactory))
        provider_staff = factory.Trait(role=Role.PROVIDER_STAFF)
        analyst = factory.Trait(role=Role.ANALYST)
        administrator = factory.Trait(role=Role.ADMINISTRATOR, is_staff=True)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    district = factory.SubFactory(DistrictFactory)
    municipality = factory.SelfAttribute("district.municipality")
    personal_number = factory.LazyFunction(
        lambda: personal_numbers.make(
            datetime.date(1990, 1, 1) + datetime.timedelta(days=next(_serials)), 123
        )
    )
    first_name = "Amina"
    last_name = factory.Sequence(lambda n: f"Testsson{n}")
    email = "amina@example.org"
    phone = "070-123 45 67"
    address = "Testgatan 1"
    postal_code = "163 00"
    city = "Stockholm"
    work_capacity = 100


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    participant = factory.SubFactory(ParticipantFactory)
    district = factory.SelfAttribute("participant.district")
    unit = factory.SelfAttribute("district.unit")
    caseworker = factory.SubFactory(
        UserFactory, caseworker=True, district=factory.SelfAttribute("..district")
    )
    target_group = "unemployed_on_assistance"
    reason = "Arbetslös sedan ett år, vill arbeta inom vården."
    assistance_status = AssistanceStatus.RECEIVING
    referral_date = factory.LazyFunction(timezone.localdate)
    plan_due_date = factory.LazyAttribute(lambda referral: deadline.plan_due_date(referral.referral_date))

    class Params:
        accepted = factory.Trait(
            status=ReferralStatus.ACCEPTED, accepted_at=factory.LazyFunction(timezone.now)
        )
        returned = factory.Trait(status=ReferralStatus.RETURNED, return_reason="Fel enhet")
        closed = factory.Trait(status=ReferralStatus.CLOSED, close_reason="work")


class MappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mapping

    referral = factory.SubFactory(ReferralFactory, accepted=True)
    participant = factory.SelfAttribute("referral.participant")
    education_level = "upper_secondary"
    swedish_level = "sfi_c"
    months_without_work = 10
    work_capacity = 100
    tier = "A"


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan
        skip_postgeneration_save = True

    referral = factory.SubFactory(ReferralFactory, accepted=True)
    participant = factory.SelfAttribute("referral.participant")
    goals = "Arbete inom vården inom sex månader."
    status = PlanStatus.DRAFT

    class Params:
        proposed = factory.Trait(status=PlanStatus.PROPOSED)

    @factory.post_generation
    def with_activity(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            PlanActivity.objects.create(
                plan=obj,
                intervention_type=InterventionType.objects.get(code="sfi_studies"),
                start_date=obj.referral.referral_date,
                hours_per_week=Decimal("20"),
            )
            if obj.status == PlanStatus.PROPOSED:
                PlanVersion.objects.create(
                    plan=obj,
                    number=1,
                    status=VersionStatus.PROPOSED,
                    content={"goals": obj.goals, "activities": []},
                    proposed_by=UserFactory(coach=True, unit=obj.referral.unit),
                )


# Providers, offerings, bookings ----------------------------------------------------------------------------

_org_serials = itertools.count(1)


def make_organisation_number(serial: int) -> str:
    """A valid organisation number 55xxxx-xxxx (limited company range) with a correct Luhn digit."""
    body = f"5560{serial:05d}"
    return f"{body[:6]}-{body[6:]}{personal_numbers.luhn_digit(body)}"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "providers.Provider"

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Anordnare {n} AB")
    organisation_number = factory.LazyFunction(lambda: make_organisation_number(next(_org_serials)))
    languages = ["sv", "ar"]
    postal_area = "Kista"


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "interventions.Offering"

    municipality = factory.SubFactory(MunicipalityFactory)
    intervention_type = factory.LazyFunction(lambda: InterventionType.objects.get(code="language_internship"))
    name = factory.Sequence(lambda n: f"Språkpraktik {n}")
    delivered_by = "provider"
    provider = factory.SubFactory(ProviderFactory, municipality=factory.SelfAttribute("..municipality"))
    place = "Kista"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    hours_per_week = Decimal("20")
    capacity = 10


def provider_user(provider, **kwargs):
    return UserFactory(role=Role.PROVIDER_STAFF, provider=provider, **kwargs)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Försäkringskassan {n}")
    kind = PartnerKind.SOCIAL_INSURANCE


def partner_user(organisation, **kwargs):
    return UserFactory(
        role=Role.PARTNER_STAFF,
        partner_organisation=organisation,
        municipality=organisation.municipality,
        **kwargs,
    )
