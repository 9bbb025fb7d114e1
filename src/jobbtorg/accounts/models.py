"""The organisation: municipalities, their Jobbtorg units, the districts each unit serves, and staff."""

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import ATTACHMENT_MESSAGES, DISTRICT_ROLES, UNIT_ROLES, Role, UnitKind, required_attachment


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("municipality code"), max_length=4, unique=True, help_text=_("Four digits, e.g. 0180")
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        permissions = [("view_aggregates", _("Can view aggregate statistics (no individual records)"))]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A Jobbtorg (labour-market unit) or a specialised unit that people can be referred to."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.JOBBTORG)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unit_name_unique")]

    def __str__(self):
        return self.name


class District(models.Model):
    """A district (stadsdel) with its social services; referrals from it go to the unit serving it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="districts", verbose_name=_("serving unit")
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="district_name_unique")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.unit_id and self.municipality_id and self.unit.municipality_id != self.municipality_id:
            raise ValidationError({"unit": _("The serving unit must belong to the same municipality.")})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("unit")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("district"),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("provider"),
    )
    partner_organisation = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("partner organisation"),
    )
    participant = models.OneToOneField(
        "participants.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="login",
        help_text=_("For the participant view: the person this login belongs to (BankID/OIDC later)."),
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_integration = models.BooleanField(
        _("integration account"),
        default=False,
        help_text=_(
            "A service user for another system (no password, no sign-in): it uses the API with tokens that "
            "the administrator makes, limited by their scopes and by the role and attachment here."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        attachment = required_attachment(self.role)
        if attachment and not getattr(self, f"{attachment}_id"):
            raise ValidationError({attachment: ATTACHMENT_MESSAGES[attachment]})
        if self.is_integration and self.role == Role.PARTICIPANT:
            raise ValidationError(
                {"is_integration": _("A participant login cannot be an integration account.")}
            )

    def save(self, *args, **kwargs):
        if self.district_id and not self.municipality_id:
            self.municipality_id = self.district.municipality_id
        if self.unit_id and not self.municipality_id:
            self.municipality_id = self.unit.municipality_id
        if self.partner_organisation_id and not self.municipality_id:
            self.municipality_id = self.partner_organisation.municipality_id
        if self.is_integration and self.has_usable_password():
            self.set_unusable_password()  # integration accounts never sign in with a password
        super().save(*args, **kwargs)
        if self.role:
            group = Group.objects.filter(name=self.role).first()
            if group and not self.groups.filter(pk=group.pk).exists():
                self.groups.set([group])

    # Role predicates: the only place outside `perms.py` modules that compares a user's role. Scoping
    # (`querysets.py`) and permission functions (`<app>/perms.py`) ask these instead of `user.role ==`.
    # Each also asks for the attachment the role needs (a caseworker without a district is no caseworker).

    @property
    def is_unit_staff(self) -> bool:
        """Jobbtorg staff (coach, counsellor, matcher, unit head) attached to a unit."""
        return self.role in UNIT_ROLES and bool(self.unit_id)

    @property
    def is_caseworker(self) -> bool:
        """A district caseworker (socialsekreterare) attached to a district."""
        return self.role in DISTRICT_ROLES and bool(self.district_id)

    @property
    def is_job_coach(self) -> bool:
        return self.role == Role.JOB_COACH and bool(self.unit_id)

    @property
    def is_unit_head(self) -> bool:
        return self.role == Role.UNIT_HEAD and bool(self.unit_id)

    @property
    def is_district_head(self) -> bool:
        """The head of a district's social-services unit, attached to the district. Not a caseworker: sees
        only what is escalated to the unit heads."""
        return self.role == Role.DISTRICT_HEAD and bool(self.district_id)

    @property
    def is_matcher(self) -> bool:
        return self.role == Role.MATCHER and bool(self.unit_id)

    @property
    def is_provider_staff(self) -> bool:
        """Staff of a provider organisation (anordnare) attached to it."""
        return self.role == Role.PROVIDER_STAFF and bool(self.provider_id)

    @property
    def is_partner_staff(self) -> bool:
        """Staff of a partner organisation (Arbetsförmedlingen, Försäkringskassan, …) attached to it."""
        return self.role == Role.PARTNER_STAFF and bool(self.partner_organisation_id)

    @property
    def is_participant(self) -> bool:
        """The login of a person in the participant view (mina sidor), attached to their record."""
        return self.role == Role.PARTICIPANT and bool(self.participant_id)

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def is_administrator(self) -> bool:
        """The municipality's administrator role, or a Django superuser."""
        return self.role == Role.ADMINISTRATOR or self.is_superuser
