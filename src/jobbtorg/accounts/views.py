"""Sign-in (password, then a second factor for staff where required), sign-out and the role start page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from jobbtorg.audit.services import change_record
from jobbtorg.payments.selectors import finance_waiting
from jobbtorg.utils.views import rule_required

from . import perms, twofactor
from .constants import END_SESSION_URL_KEY, Role
from .signals import second_factor_verified

START_PAGES = {
    Role.CASEWORKER: "plans:inbox",
    Role.JOB_COACH: "plans:worklist",
    Role.CAREER_COUNSELLOR: "plans:worklist",
    Role.MATCHER: "plans:worklist",
    Role.UNIT_HEAD: "plans:worklist",
    Role.DISTRICT_HEAD: "referrals:send_back_list",
    Role.ANALYST: "reporting:overview",
    Role.ADMINISTRATOR: "accounts:start",
    Role.PARTNER_STAFF: "partners:home",
}


def locked_out(request, credentials=None):
    """django-axes: too many wrong passwords for this username from this address (HTTP 429)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    message = ngettext(
        "Too many failed logins. Try again in %(minutes)d minute, or ask an administrator to unlock the "
        "account.",
        "Too many failed logins. Try again in %(minutes)d minutes, or ask an administrator to unlock the "
        "account.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


def password_sign_in_allowed(user) -> bool:
    """Passwords the product keeps are switched off per audience where OIDC is configured (production:
    `JOBBTORG_STAFF_PASSWORD_SIGN_IN`, `JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN`); a Django superuser keeps one
    as the break-glass account (two-factor still applies). Integration accounts have no password at all."""
    if user.is_superuser:
        return True
    if user.role == Role.PARTICIPANT:
        return settings.JOBBTORG_PARTICIPANT_PASSWORD_SIGN_IN
    return settings.JOBBTORG_STAFF_PASSWORD_SIGN_IN


class PasswordForm(auth_forms.AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not password_sign_in_allowed(user):
            raise forms.ValidationError(
                _("Sign in with e-ID or your municipal account: passwords are switched off here."),
                code="password_off",
            )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = PasswordForm
    redirect_authenticated_user = True
    next_page = "accounts:home"
    extra_context = {"title": _("Log in")}


class LogoutView(auth_views.LogoutView):
    """Signs out here and, after e-ID or single sign-on, at the identity provider too where it supports
    RP-initiated logout (its end-session address was kept in the session at sign-in)."""

    next_page = "accounts:login"

    def post(self, request, *args, **kwargs):
        end_session = request.session.get(END_SESSION_URL_KEY)
        response = super().post(request, *args, **kwargs)
        if end_session:
            return redirect(end_session)
        return response


def home(request):
    """Each role lands on its own start page; anonymous visitors on the login page."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.role in START_PAGES:
        return redirect(START_PAGES[user.role])
    if user.role == Role.PROVIDER_STAFF:
        return redirect("attendance:provider_home")
    if user.role == Role.PARTICIPANT:
        return redirect("portal:home")
    if perms.can_view_admin_start(user):  # a Django superuser without a role
        return redirect("accounts:start")
    return render(request, "accounts/no_role.html")


@require_safe
@rule_required(perms.can_view_admin_start)
def admin_start(request):
    """The administrator's and finance's start page in the product: what they can do, and what waits."""
    return render(request, "accounts/admin_start.html", {"waiting": finance_waiting(user=request.user)})


# Two-factor authentication ----------------------------------------------------------------------------------


class OtpTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("accounts:home")


@login_required
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a first code."""
    if twofactor.has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = twofactor.device_pending(user=request.user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.device_confirm(request=request, device=device, token=form.cleaned_data["otp_token"]):
            second_factor_verified.send(sender=otp_setup, request=request, user=request.user)
            change_record(action="two_factor_enrolled", obj=request.user, by=request.user)
            messages.success(request, _("Two-factor authentication is now on for your account."))
            return redirect(_next_url(request))
        form.add_error("otp_token", _("The code is not correct. Check the time on your phone and try again."))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_base32(device),
            "next": _next_url(request),
        },
    )


@login_required
def otp_verify(request):
    """The second step after the password: a code from the enrolled authenticator app."""
    if not twofactor.has_device(request.user):
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next_url(request)})}")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.token_verify(request=request, token=form.cleaned_data["otp_token"]):
            second_factor_verified.send(sender=otp_verify, request=request, user=request.user)
            return redirect(_next_url(request))
        form.add_error("otp_token", _("The code is not correct. Check the time on your phone and try again."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})
