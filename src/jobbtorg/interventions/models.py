"""The catalogue of intervention types (insatser) that action plans are made of."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import ACTIVE_BOOKING_STATUSES, BookingStatus, DeliveredBy, InterventionCategory
from .querysets import BookingQuerySet, OfferingQuerySet


class InterventionType(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Swedish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=InterventionCategory.choices)
    is_sfi_related = models.BooleanField(_("SFI-related"), default=False)
    is_work_training = models.BooleanField(_("work training"), default=False)
    is_internship = models.BooleanField(_("internship"), default=False)
    is_matching = models.BooleanField(_("matching"), default=False)
    active = models.BooleanField(_("active"), default=True, help_text=_("Retired types cannot be planned."))
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "sv").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Offering(models.Model):
    """A concrete intervention: who delivers it, where, when, how many hours, for how many people."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    intervention_type = models.ForeignKey(
        InterventionType,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("intervention type"),
    )
    name = models.CharField(_("name"), max_length=150)
    delivered_by = models.CharField(_("delivered by"), max_length=20, choices=DeliveredBy.choices)
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("Jobbtorg unit"),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("provider"),
    )
    city_unit_name = models.CharField(_("city unit"), max_length=150, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
    capacity = models.PositiveIntegerField(_("places"))
    booked_count = models.PositiveIntegerField(_("booked"), default=0, editable=False)
    languages = models.JSONField(_("languages of instruction"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    active = models.BooleanField(_("open for booking"), default=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["intervention_type__sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booked_count__lte=models.F("capacity")),
                name="offering_never_overbooked",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="offering_period_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(delivered_by="provider") | models.Q(provider__isnull=False),
                name="offering_provider_named",
                violation_error_message=_("Name the provider that delivers the offering."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.booked_count, 0)


class Booking(models.Model):
    """A person booked into an offering from their action plan, or waiting for a place (first come, first
    served: the position is the order of `requested_at` among those waiting)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="bookings")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="bookings"
    )
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="bookings")
    plan_activity = models.ForeignKey(
        "plans.PlanActivity", on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    booked_at = models.DateTimeField(_("place given"), null=True, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "participant"],
                condition=models.Q(status__in=ACTIVE_BOOKING_STATUSES),
                name="one_active_booking_per_offering",
                violation_error_message=_("The person is already booked or waiting for this offering."),
            )
        ]
        indexes = [models.Index(fields=["offering", "status", "requested_at"])]
