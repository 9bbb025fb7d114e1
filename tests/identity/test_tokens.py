"""API tokens are for integration accounts: scoped, expiring, revocable, stored as a hash and shown once.
Human staff cannot get one with a password, and the token endpoint's lockout answers 429."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from jobbtorg.identity.constants import TokenScope
from jobbtorg.identity.models import ApiToken
from jobbtorg.identity.tokens import integration_token_create, integration_token_revoke

from ..attendance.test_api import _report, group  # noqa: F401  (a fixture)
from ..attendance.test_feedback import working_days_back
from ..factories import UserFactory, provider_user

PASSWORD = "secret-password-123"


def integration_account(provider, **extra):
    user = provider_user(provider)
    user.is_integration = True
    user.username = f"system-{provider.pk}"
    user.save()
    return user


def _token(user, scopes=(TokenScope.ATTENDANCE_REPORT,), days=30):
    return integration_token_create(
        user=user,
        name="Närvarosystem",
        scopes=list(scopes),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )


def _bearer(key):
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def system(group):  # noqa: F811
    return integration_account(group["offering"].provider)


def test_an_integration_token_reports_attendance_and_nothing_else(group, system):  # noqa: F811
    token, key = _token(system)
    assert key.startswith(f"jt_{token.prefix}_") and key not in token.key_hash and len(token.key_hash) == 64
    client = _bearer(key)
    day = working_days_back(1)[0]
    response = client.post(
        "/api/attendance/", _report(group["bookings"][0], day), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert client.get("/api/attendance/unreported/").status_code == 200
    # Endpoints outside the token's scopes refuse it, whatever the account's role would allow.
    for path in ("/api/participants/", "/api/bookings/", "/api/assistance-imports/", "/api/referrals/"):
        assert client.get(path).status_code == 403, path
    # The scope does not widen the role: another provider's booking stays out of reach.
    other = client.post(
        "/api/attendance/", _report(group["other_booking"], day), content_type="application/json"
    )
    assert other.status_code in (400, 403, 404)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)
    client.get("/api/attendance/unreported/")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_expired_revoked_unknown_and_malformed_tokens_are_refused(system):
    token, key = _token(system)
    assert _bearer(key).get("/api/attendance/unreported/").status_code == 200
    integration_token_revoke(token=token)
    assert _bearer(key).get("/api/attendance/unreported/").status_code == 401
    expired, expired_key = _token(system)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _bearer(expired_key).get("/api/attendance/unreported/").status_code == 401
    _, good = _token(system)
    for wrong in (good[:-2] + "xx", "jt_nope", "not-a-token", good + " extra"):
        assert _bearer(wrong).get("/api/attendance/unreported/").status_code == 401, wrong
    system.is_active = False
    system.save()
    assert _bearer(good).get("/api/attendance/unreported/").status_code == 401


def test_a_token_of_another_scope_is_refused(system):
    _, key = _token(system, scopes=[TokenScope.ASSISTANCE_IMPORT])
    assert _bearer(key).get("/api/attendance/unreported/").status_code == 403


def test_tokens_are_only_for_integration_accounts(coach):
    with pytest.raises(ValidationError):
        _token(coach)
    # Even a token row made behind the services' back is refused for a human account.
    system = UserFactory(coach=True, unit=coach.unit, username="system", is_integration=True)
    token, key = _token(system)
    type(system).objects.filter(pk=system.pk).update(is_integration=False)
    assert _bearer(key).get("/api/attendance/unreported/").status_code == 401


def test_integration_accounts_have_no_password(coach):
    system = UserFactory(coach=True, unit=coach.unit, username="system", is_integration=True)
    assert not system.has_usable_password()
    response = Client().post("/logga-in/", {"username": "system", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in Client().session


def test_staff_cannot_get_a_token_with_a_password(coach):
    response = Client(REMOTE_ADDR="10.1.0.1").post(
        "/api/auth/token/", {"username": "coach", "password": PASSWORD}
    )
    assert response.status_code == 403 and "token" not in response.json()
    wrong = Client(REMOTE_ADDR="10.1.0.1").post("/api/auth/token/", {"username": "coach", "password": "x"})
    assert wrong.status_code == 400
    assert Client().post("/api/auth/token/", {}).status_code == 400


def test_staff_held_at_two_factor_cannot_use_the_api(settings, coach):
    settings.JOBBTORG_REQUIRE_2FA = True
    client = Client()
    assert client.post("/logga-in/", {"username": "coach", "password": PASSWORD}).status_code == 302
    assert client.get("/api/participants/").status_code == 403
    assert client.post("/api/auth/token/", {"username": "coach", "password": PASSWORD}).status_code == 403
    # The old DRF token header of a human goes nowhere either.
    assert _bearer("0123456789abcdef0123456789abcdef01234567").get("/api/participants/").status_code == 401


def test_the_token_endpoint_lockout_answers_429(coach):
    client = Client(REMOTE_ADDR="10.1.0.2")
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "coach", "password": "wrong"})
    response = client.post("/api/auth/token/", {"username": "coach", "password": PASSWORD})
    assert response.status_code == 429 and "token" not in response.json()
    assert response.json()["detail"]


def test_the_administrator_makes_a_token_and_sees_the_key_once(system):
    admin = UserFactory(administrator=True, is_superuser=True, username="admin")
    client = Client()
    client.force_login(admin)
    expires = (timezone.localtime() + dt.timedelta(days=90)).replace(microsecond=0)
    response = client.post(
        "/admin/identity/apitoken/add/",
        {
            "user": system.pk,
            "name": "Närvarosystem",
            "scopes": [TokenScope.ATTENDANCE_REPORT],
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": expires.time().isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"] if "jt_" in str(m)]
    assert len(shown) == 1
    key = shown[0].split(": ")[-1]
    assert _bearer(key).get("/api/attendance/unreported/").status_code == 200
    assert token.created_by == admin and token.scopes == [TokenScope.ATTENDANCE_REPORT]
    page = client.get(f"/admin/identity/apitoken/{token.pk}/change/")
    assert key not in page.content.decode()
    client.post(
        "/admin/identity/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert _bearer(key).get("/api/attendance/unreported/").status_code == 401
    assert Permission.objects.filter(codename="add_apitoken").exists()
