"""Admin pages: integration accounts' API tokens (made here, the key shown once; revoked, never edited)."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import User
from jobbtorg.audit.admin import AuditedAdminMixin, ReadOnlyAdmin
from jobbtorg.audit.services import change_record

from .constants import TokenScope
from .models import ApiToken, SignInLog, StaffRoleMapping
from .services import sessions_end
from .tokens import integration_token_revoke, key_assign

DEFAULT_TOKEN_DAYS = 365


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=TokenScope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # the add form (a token is never edited, only revoked)
            self.fields["user"].queryset = User.objects.filter(is_integration=True, is_active=True)
            self.fields["expires_at"].initial = timezone.now() + datetime.timedelta(days=DEFAULT_TOKEN_DAYS)

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return value


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "user", "prefix", "scopes", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["prefix"]
        return ["user", "name", "scopes", "expires_at", "prefix", "revoked_at", "last_used_at", "created_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None or super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return
        obj.scopes = sorted(set(obj.scopes))
        obj.created_by = request.user
        key = key_assign(obj)
        obj.full_clean()
        obj.save()
        change_record(
            action="integration_token_created", obj=obj, by=request.user, changes={"scopes": obj.scopes}
        )
        messages.warning(
            request,
            _("The token's key, shown only now — copy it into the other system: %(key)s") % {"key": key},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the row says who had access and until when

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            integration_token_revoke(token=token, by=request.user)
            change_record(action="integration_token_revoked", obj=token, by=request.user)
        messages.success(request, _("The tokens are revoked."))


@admin.register(StaffRoleMapping)
class StaffRoleMappingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["group", "role", "unit", "district", "provider", "municipality", "priority"]
    list_filter = ["role", "municipality"]
    search_fields = ["group"]


@admin.register(SignInLog)
class SignInLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "method", "assurance", "ended_at"]
    list_filter = ["method"]
    search_fields = ["user__username"]
    date_hierarchy = "at"
    exclude = ["session_key"]


@admin.action(description=_("End all sessions of the selected users"))
def end_sessions(modeladmin, request, queryset):
    ended = 0
    for user in queryset:
        ended += sessions_end(user=user, by=request.user)
        change_record(action="sessions_ended", obj=user, by=request.user)
    messages.success(request, _("%(count)d sessions ended.") % {"count": ended})


# On the user list of accounts (which cannot import this app): the administrator ends a user's sessions.
admin.site._registry[User].actions = [*(admin.site._registry[User].actions or []), end_sessions]
