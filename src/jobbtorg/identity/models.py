"""Integration accounts' API tokens, the staff role mapping of single sign-on and the sign-in log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.constants import ATTACHMENT_MESSAGES, Role, required_attachment

from .constants import SignInMethod, TokenScope


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked, not expired, and belonging to an active integration account."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
            user__is_integration=True,
        )


class ApiToken(models.Model):
    """A token of an integration account (a service user made by the administrator): scoped, expiring and
    revocable. Only a hash of the key is stored; the key is shown once, when the token is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("integration account"),
        limit_choices_to={"is_integration": True},
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the system."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        if self.user_id and not self.user.is_integration:
            raise ValidationError({"user": _("Tokens are only for integration accounts, not for staff.")})
        unknown = set(self.scopes or []) - set(TokenScope.values)
        if unknown or not self.scopes:
            raise ValidationError({"scopes": _("Choose at least one scope.")})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active


class StaffRoleMapping(models.Model):
    """Single sign-on: a group (or role) claim of the municipality's identity provider gives a role and its
    attachment in the product. Edited by the administrator; read at every staff sign-in (identity.services).
    A user in several mapped groups gets the mapping with the lowest priority number."""

    group = models.CharField(
        _("IdP group"),
        max_length=200,
        unique=True,
        help_text=_("The value in the groups claim (name or id)."),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)

    class Meta:
        verbose_name = _("staff role mapping")
        verbose_name_plural = _("staff role mappings")
        ordering = ["priority", "group"]

    def __str__(self):
        return f"{self.group} → {self.get_role_display()}"

    def clean(self):
        attachment = required_attachment(self.role)
        if attachment == "participant":
            raise ValidationError({"role": _("Participants sign in with e-ID, not through a staff group.")})
        if attachment == "partner_organisation":
            raise ValidationError(
                {"role": _("Partner staff are added by the administrator, not through a staff group.")}
            )
        if attachment and not getattr(self, f"{attachment}_id"):
            raise ValidationError({attachment: ATTACHMENT_MESSAGES[attachment]})
        for name in ("unit", "district", "provider"):
            if name != attachment and getattr(self, f"{name}_id"):
                raise ValidationError({name: _("This role is not attached to one.")})


class ExternalIdentity(models.Model):
    """Who a user is at an identity provider: (issuer, subject). Staff are found by it at every sign-in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_ids")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique"),
        ]


class SignInLog(models.Model):
    """One row per sign-in: who, how (password, authenticator app, e-ID, single sign-on, token), the level
    of assurance the identity provider asserted, when. Append-only; the read log names the sign-in of each
    read (audit.ReadLog.sign_in)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=SignInMethod.choices)
    assurance = models.CharField(_("level of assurance"), max_length=200, blank=True)
    session_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-in log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self):
        return f"{self.user} {self.get_method_display()} {self.at:%Y-%m-%d %H:%M}"
