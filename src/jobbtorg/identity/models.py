"""Integration accounts' API tokens, the staff role mapping of single sign-on and the sign-in log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import TokenScope


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
