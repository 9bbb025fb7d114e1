"""The person who is referred: identity, contact, target groups, work capacity and consent."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.utils import personal_numbers
from jobbtorg.utils.languages import PARTICIPANT_LANGUAGE_CHOICES, SWEDISH

from .constants import ConsentScope, ConsentStatus, WorkCapacity
from .querysets import ConsentQuerySet, ParticipantQuerySet


class Participant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="participants", verbose_name=_("district")
    )
    personal_number = models.CharField(_("personal identity number"), max_length=12)
    birth_date = models.DateField(_("birth date"), editable=False)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    language = models.CharField(
        _("language for the portal and messages"),
        max_length=10,
        choices=PARTICIPANT_LANGUAGE_CHOICES,
        default=SWEDISH,
        help_text=_("The person's own pages, reminders, notices and the printed plan use this language."),
    )
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Skyddad identitet: address and contact details are shown only to the caseworker."),
    )
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    work_capacity = models.PositiveSmallIntegerField(
        _("work capacity"), choices=WorkCapacity.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "personal_number"], name="participant_pnr_unique")
        ]
        permissions = [
            ("view_protected_contact", _("Can see contact details of people with protected identity"))
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.birth_date = personal_numbers.birth_date(self.personal_number)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_personal_number(self) -> str:
        return personal_numbers.mask(self.personal_number)

    @property
    def formatted_personal_number(self) -> str:
        return personal_numbers.formatted(self.personal_number)

    @property
    def is_coordination_number(self) -> bool:
        return personal_numbers.is_coordination_number(self.personal_number)


class Consent(models.Model):
    """One row per recorded decision; the consent in force for a scope is the latest row (never edited)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=30, choices=ConsentScope.choices)
    status = models.CharField(_("status"), max_length=10, choices=ConsentStatus.choices)
    effective_date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["participant", "scope", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["participant", "scope", "-recorded_at"])]
