"""Login rate limiting (django-axes), two-factor authentication for staff (django-otp), the
Content-Security-Policy and `check --deploy` with the production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobbtorg.audit.models import ChangeLog

from ..factories import UserFactory

PASSWORD = "secret-password-123"
ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# Rate limiting --------------------------------------------------------------------------------------------


def test_login_is_locked_after_five_failures_for_that_username_and_address(coach, caseworker):
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_COOKIE="django_language=en")
    client.cookies["django_language"] = "en"
    for _ in range(4):
        assert _login(client, "coach", "wrong").status_code == 200  # the form again, with an error
    locked = _login(client, "coach", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text and "15 minutes" in locked.text
    # …even the right password is refused now
    assert _login(client, "coach").status_code == 429
    # another user from the same address, and the same user from another address, are not locked
    assert _login(client, "socsek").status_code == 302
    assert _login(Client(REMOTE_ADDR="10.0.0.2"), "coach").status_code == 302


def test_the_lockout_message_is_swedish_by_default(coach):
    client = Client(REMOTE_ADDR="10.0.0.3")
    for _ in range(5):
        response = _login(client, "coach", "wrong")
    assert response.status_code == 429 and "För många misslyckade inloggningar" in response.text


def test_a_success_resets_the_failures(coach):
    client = Client(REMOTE_ADDR="10.0.0.4")
    for _ in range(4):
        _login(client, "coach", "wrong")
    assert _login(client, "coach").status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, "coach", "wrong")
    assert _login(client, "coach").status_code == 302


def test_the_api_token_endpoint_is_rate_limited_too(coach):
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "coach", "password": "wrong"})
    response = client.post("/api/auth/token/", {"username": "coach", "password": PASSWORD})
    assert response.status_code == 429 and "token" not in response.json()
    # Elsewhere the same password is accepted — and still gets no token: staff have none (issue 13).
    elsewhere = Client(REMOTE_ADDR="10.0.0.6").post(
        "/api/auth/token/", {"username": "coach", "password": PASSWORD}
    )
    assert elsewhere.status_code == 403 and "token" not in elsewhere.json()


# Two-factor authentication ---------------------------------------------------------------------------------


@pytest.fixture
def require_2fa(settings):
    settings.JOBBTORG_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows down retries after a wrong code; not here


def test_without_the_setting_staff_sign_in_with_a_password_only(client, coach):
    assert _login(client, "coach").status_code == 302
    assert client.get(reverse("plans:worklist")).status_code == 200


def test_staff_enrol_an_authenticator_app_after_the_password(require_2fa, coach):
    client = Client()
    client.cookies["django_language"] = "en"
    response = _login(client, "coach")
    assert response.status_code == 302
    worklist = reverse("plans:worklist")
    response = client.get(worklist)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_setup"))
    page = client.get(response.url)
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in page.text
    device = TOTPDevice.objects.get(user=coach, confirmed=False)
    # a wrong code is refused, the pages stay closed
    wrong = client.post(reverse("accounts:otp_setup"), {"otp_token": "000000", "next": worklist})
    assert wrong.status_code == 200 and "The code is not correct" in wrong.text
    assert client.get(worklist).status_code == 302
    # the right code turns 2FA on, verifies this session and returns to where the user was going
    done = client.post(reverse("accounts:otp_setup"), {"otp_token": _code(device), "next": worklist})
    assert done.status_code == 302 and done.url == worklist
    assert client.get(worklist).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert ChangeLog.objects.filter(action="two_factor_enrolled", actor=coach).exists()


def test_enrolled_staff_enter_a_code_at_every_login(require_2fa, coach):
    device = TOTPDevice.objects.create(user=coach, name="phone", confirmed=True)
    client = Client()
    _login(client, "coach")
    response = client.get(reverse("plans:worklist"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_verify"))
    # the enrolment page cannot be used to add a second device without the first factor's code
    assert client.get(reverse("accounts:otp_setup")).status_code == 302
    # the API refuses an unverified session
    assert client.get("/api/participants/").status_code == 403
    assert client.post(reverse("accounts:otp_verify"), {"otp_token": "123"}).status_code == 200
    response = client.post(
        reverse("accounts:otp_verify"), {"otp_token": _code(device), "next": "/api/participants/"}
    )
    assert response.status_code == 302 and response.url == "/api/participants/"
    assert client.get("/api/participants/").status_code == 200
    assert client.get(reverse("plans:worklist")).status_code == 200


def test_an_unsafe_next_url_is_ignored(require_2fa, coach):
    device = TOTPDevice.objects.create(user=coach, name="phone", confirmed=True)
    client = Client()
    _login(client, "coach")
    response = client.post(
        reverse("accounts:otp_verify"), {"otp_token": _code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("accounts:home")


def test_participants_are_not_asked_for_a_second_factor(require_2fa, accepted_referral):
    person_login = UserFactory(role="participant", participant=accepted_referral.participant)
    client = Client()
    _login(client, person_login.username)
    assert client.get(reverse("portal:home")).status_code == 200


# Content-Security-Policy -----------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVAL_ATTRS = re.compile(r"hx-on[:-]|hx-vals=['\"]js:|hx-vars=", re.I)


def assert_csp_safe(response):
    header = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in header and "unsafe-inline" not in header and "unsafe-eval" not in header
    html = response.content.decode()
    for pattern in (INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE, EVAL_ATTRS):
        match = pattern.search(html)
        assert match is None, f"{response.request['PATH_INFO']}: {match.group(0)!r} breaks the CSP"
    for tag in re.findall(r"<script[^>]*\bnonce=\"([^\"]+)\"", html):
        assert f"'nonce-{tag}'" in header


def test_pages_send_a_strict_csp_and_hold_no_inline_script_or_style(client, coach, accepted_referral):
    assert_csp_safe(client.get(reverse("accounts:login")))
    client.force_login(coach)
    for url in (
        reverse("plans:worklist"),
        reverse("plans:plan", args=[accepted_referral.pk]),
        reverse("plans:activity_row", args=[accepted_referral.pk]),
        reverse("participants:detail", args=[accepted_referral.participant.pk]),
        reverse("referrals:detail", args=[accepted_referral.pk]),
        reverse("attendance:appointments"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_safe(response)
    assert "data-row-count" in client.get(reverse("plans:plan", args=[accepted_referral.pk])).text


def test_the_api_docs_get_a_policy_of_their_own(client, coach):
    client.force_login(coach)
    header = client.get("/api/docs/").headers["Content-Security-Policy"]
    assert "https://cdn.jsdelivr.net" in header
    assert "cdn.jsdelivr.net" not in client.get(reverse("plans:worklist")).headers["Content-Security-Policy"]


def test_static_javascript_replaces_the_inline_handlers():
    script = (ROOT / "src/jobbtorg/static/jobbtorg/jobbtorg.js").read_text()
    assert "data-autosubmit" in script and "data-remove-row" in script and "data-row-count" in script


# Production settings -------------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jobbtorg.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "jobbtorg.example.se",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_harden_cookies_and_require_2fa():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jobbtorg.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "jobbtorg.example.se",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.JOBBTORG_REQUIRE_2FA, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT, "
        "s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "True", "DENY", "same-origin"], (
        result.stdout + result.stderr
    )
