"""Providers (anordnare), their procurement contracts (LOU) and their authorisations under customer choice
(LOV/kundval), and which provider serves which participant."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    ApplicationStatus,
    AssignmentSource,
    AuthorisationEventKind,
    ChoiceStatus,
    PriceUnit,
    ProviderKind,
)
from .querysets import (
    ApplicationQuerySet,
    AssignmentQuerySet,
    AuthorisationQuerySet,
    ChoiceRequestQuerySet,
    ProviderQuerySet,
)


class Provider(models.Model):
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="providers"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation_number = models.CharField(_("organisation number"), max_length=11)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ProviderKind.choices, default=ProviderKind.COMPANY
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_area = models.CharField(_("postal area"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organisation_number"], name="provider_orgnr_unique"
            )
        ]

    def __str__(self):
        return self.name

    def may_deliver(self, *, intervention_type, on) -> bool:
        """A provider may deliver an offering of a type when it is active and authorised for the type (in
        force on the day) or has a procurement contract covering the type on that day. A method of the
        provider, so that `interventions` asks the offering's provider without importing this app (providers
        listen to interventions' events: the import runs providers → interventions only)."""
        authorised = Authorisation.objects.in_force(on).filter(
            provider=self, intervention_type=intervention_type
        )
        contracted = self.contracts.filter(
            start_date__lte=on, end_date__gte=on, intervention_types=intervention_type
        )
        return self.active and (authorised.exists() or contracted.exists())


class Contract(models.Model):
    """A procurement contract (LOU): period, intervention types, volume and price list."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(_("contract reference"), max_length=60)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    intervention_types = models.ManyToManyField(
        "interventions.InterventionType", related_name="contracts", verbose_name=_("intervention types")
    )
    volume = models.PositiveIntegerField(_("volume (participants)"), null=True, blank=True)

    class Meta:
        verbose_name = _("procurement contract")
        verbose_name_plural = _("procurement contracts")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="contract_period_valid",
                violation_error_message=_("The contract must end after it starts."),
            )
        ]

    def __str__(self):
        return f"{self.reference} ({self.provider})"


class ContractPrice(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="prices")
    intervention_type = models.ForeignKey("interventions.InterventionType", on_delete=models.PROTECT)
    unit = models.CharField(_("price unit"), max_length=20, choices=PriceUnit.choices)
    amount = models.DecimalField(_("price (SEK)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("price list")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "intervention_type", "unit"], name="contract_price_unique"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="contract_price_not_negative"),
        ]


class Requirement(models.Model):
    """A requirement the municipality sets for authorisation under customer choice (for one type or all)."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    intervention_type = models.ForeignKey(
        "interventions.InterventionType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty: applies to every intervention type."),
    )
    text = models.CharField(_("requirement"), max_length=300)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("authorisation requirement")
        verbose_name_plural = _("authorisation requirements")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class Application(models.Model):
    """A provider's application for authorisation for one intervention type, with its checklist."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="applications")
    intervention_type = models.ForeignKey("interventions.InterventionType", on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorisation application")
        verbose_name_plural = _("authorisation applications")
        ordering = ["-submitted_at"]
        permissions = [
            ("decide_application", _("Can decide on authorisations (approve, reject, suspend, revoke)"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "intervention_type"],
                condition=models.Q(status="submitted"),
                name="one_pending_application",
                violation_error_message=_("The provider already has a pending application for this type."),
            )
        ]


class ApplicationAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT)
    fulfilled = models.BooleanField(_("fulfilled"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "requirement"], name="application_answer_unique")
        ]


class Authorisation(models.Model):
    """An approved application: the provider may be chosen for the type from `valid_from`. Suspension and
    revocation are events with dates; whether it is in force on a day is a query over them."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="authorisations")
    intervention_type = models.ForeignKey("interventions.InterventionType", on_delete=models.PROTECT)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="authorisation")
    valid_from = models.DateField(_("valid from"))
    revoked_from = models.DateField(_("revoked from"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (participants at a time)"), null=True, blank=True, help_text=_("Empty: no set limit.")
    )
    lock_version = models.PositiveIntegerField(default=0)

    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        ordering = ["provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "intervention_type"],
                condition=models.Q(revoked_from__isnull=True),
                name="one_live_authorisation",
            )
        ]

    def __str__(self):
        return f"{self.provider} – {self.intervention_type}"


class Suspension(models.Model):
    authorisation = models.ForeignKey(Authorisation, on_delete=models.CASCADE, related_name="suspensions")
    start_date = models.DateField(_("suspended from"))
    end_date = models.DateField(
        _("suspended until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-start_date"]


class AuthorisationEvent(models.Model):
    """History of an authorisation (never edited)."""

    authorisation = models.ForeignKey(Authorisation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=AuthorisationEventKind.choices)
    effective_date = models.DateField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class ChoiceRequest(models.Model):
    """A person is to choose a provider for an intervention type (customer choice) by `deadline`; if they
    have not, the default provider is assigned by rotation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="choices"
    )
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="choices")
    intervention_type = models.ForeignKey("interventions.InterventionType", on_delete=models.PROTECT)
    status = models.CharField(max_length=20, choices=ChoiceStatus.choices, default=ChoiceStatus.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField(_("choose by"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ChoiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider choice")
        verbose_name_plural = _("provider choices")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "intervention_type"],
                condition=models.Q(status="open"),
                name="one_open_choice_per_type",
            )
        ]
        indexes = [models.Index(fields=["status", "deadline"])]


class Assignment(models.Model):
    """Which provider serves a person for an intervention type, from when to when, and why. A change of
    provider ends one assignment and starts another (history kept)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="provider_assignments"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="provider_assignments"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="assignments")
    intervention_type = models.ForeignKey("interventions.InterventionType", on_delete=models.PROTECT)
    source = models.CharField(_("how"), max_length=30, choices=AssignmentSource.choices)
    reason = models.TextField(_("reason"), blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    choice = models.ForeignKey(
        ChoiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider assignment")
        verbose_name_plural = _("provider assignments")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "intervention_type"],
                condition=models.Q(end_date__isnull=True),
                name="one_current_provider_per_type",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "end_date"]),
            # A provider's current people (every provider page scopes through it): the provider's rows of
            # the current assignments only, with the person, so the database answers from the index alone.
            models.Index(
                fields=["provider", "participant"],
                condition=models.Q(end_date__isnull=True),
                name="provider_current_people",
            ),
        ]


class RotationState(models.Model):
    """Where the fair rotation of default providers stands, per municipality and intervention type."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+")
    intervention_type = models.ForeignKey("interventions.InterventionType", on_delete=models.CASCADE)
    last_provider = models.ForeignKey(Provider, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "intervention_type"], name="rotation_state_unique"
            )
        ]
