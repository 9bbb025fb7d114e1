"""Sessions end after the idle timeout and the absolute lifetime, with a warning before; every sign-in is
logged and the read log names how the reader signed in."""

import time

import pytest
from django.test import Client

from jobbtorg.audit.models import ReadLog
from jobbtorg.identity.constants import LAST_SEEN, STARTED
from jobbtorg.identity.models import SignInLog

from ..factories import UserFactory

PASSWORD = "secret-password-123"


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.post("/logga-in/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _age(client: Client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "last_seen": LAST_SEEN}[key]] = time.time() - ago
    session.save()


@pytest.mark.django_db
def test_idle_timeout_signs_out_with_a_message(coach, settings):
    client = _signed_in("coach")
    assert client.get("/planer/arbetslista/").status_code == 200
    _age(client, last_seen=31 * 60)
    response = client.get("/planer/arbetslista/")
    assert response.status_code == 302 and response.url.startswith("/logga-in/")
    assert client.get("/planer/arbetslista/").status_code == 302  # signed out for good
    api = _signed_in("coach")
    _age(api, last_seen=31 * 60)
    assert api.get("/api/worklist/").status_code == 401


@pytest.mark.django_db
def test_absolute_lifetime_ends_even_an_active_session(coach):
    client = _signed_in("coach")
    _age(client, started=10 * 3600 + 5, last_seen=10)
    assert client.get("/planer/arbetslista/").status_code == 302


@pytest.mark.django_db
def test_pages_warn_before_the_idle_timeout_and_keepalive_extends(coach, settings):
    settings.JOBBTORG_SESSION_IDLE_MINUTES = 20
    client = _signed_in("coach")
    page = client.get("/planer/arbetslista/").content.decode()
    assert 'id="session-warning"' in page and 'data-idle-seconds="1200"' in page and "session.js" in page
    _age(client, last_seen=15 * 60)
    response = client.post("/session/forlang/")
    assert response.status_code == 200 and 1190 <= response.json()["seconds_left"] <= 1200
    assert Client().post("/session/forlang/").status_code == 401


@pytest.mark.django_db
def test_the_read_log_names_how_the_reader_signed_in(accepted_referral, coach):
    client = _signed_in("coach")
    assert client.get(f"/personer/{accepted_referral.participant_id}/").status_code == 200
    client.get(f"/api/participants/{accepted_referral.participant_id}/")
    sign_in = SignInLog.objects.get(user=coach)
    assert sign_in.method == "password"
    reads = ReadLog.objects.filter(user=coach)
    assert reads.count() >= 2 and all(read.sign_in_id == sign_in.pk for read in reads)
    head = _signed_in_head(accepted_referral)
    page = head.get("/logg/lasningar/").content.decode()
    assert "Lösenord" in page or "Password" in page


def _signed_in_head(referral):
    UserFactory(unit_head=True, unit=referral.unit, username="chef")
    return _signed_in("chef")


@pytest.mark.django_db
def test_the_administrator_ends_all_sessions_of_a_user_from_the_user_list(coach):
    client = _signed_in("coach")
    admin = UserFactory(administrator=True, is_superuser=True, username="admin")
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(
        "/admin/accounts/user/", {"action": "end_sessions", "_selected_action": [coach.pk]}, follow=True
    )
    assert response.status_code == 200
    assert client.get("/planer/arbetslista/").status_code == 302
    assert SignInLog.objects.get(user=coach).ended_at is not None
    assert admin_client.get("/admin/identity/signinlog/").status_code == 200
    assert admin_client.get("/admin/identity/staffrolemapping/add/").status_code == 200
