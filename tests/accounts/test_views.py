import pytest
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory


@pytest.fixture
def client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_anonymous_home_goes_to_login(client, db):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_login_page_renders_and_signs_in(client, caseworker):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200 and "<h1>Log in</h1>" in response.text
    response = client.post(
        reverse("accounts:login"), {"username": "socsek", "password": "secret-password-123"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")


def test_wrong_password_shows_the_form_again(client, caseworker):
    response = client.post(reverse("accounts:login"), {"username": "socsek", "password": "nope"})
    assert response.status_code == 200 and 'role="alert"' in response.text


def test_logout_is_a_post(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:home"))["Location"] == reverse("accounts:login")


@pytest.mark.parametrize(
    ("trait", "target"),
    [
        ("caseworker", "plans:inbox"),
        ("coach", "plans:worklist"),
        ("counsellor", "plans:worklist"),
        ("matcher", "plans:worklist"),
        ("unit_head", "plans:worklist"),
        ("analyst", "reporting:overview"),
        ("administrator", "accounts:start"),
    ],
)
def test_each_role_lands_on_its_start_page(client, db, trait, target):
    client.force_login(UserFactory(**{trait: True}))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == reverse(target)


def test_provider_staff_land_on_the_attendance_start_page(client, db):
    client.force_login(UserFactory(provider_staff=True))
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response.url == reverse("attendance:provider_home")


def test_role_required_sends_anonymous_users_to_login(client, db):
    response = client.get(reverse("referrals:list"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login") + "?next="
    )


def test_plain_login_required_pages_redirect_to_the_login_page(client, db):
    # settings.LOGIN_URL names the namespaced login view (a plain "login" cannot be resolved).
    response = client.get(reverse("plans:worklist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
