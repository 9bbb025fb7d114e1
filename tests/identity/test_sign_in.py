"""Sign-in through OpenID Connect against a real OpenID Provider (tests/oidc/op.js, started by the fixture):
e-ID for participants, single sign-on for staff, refusals with plain-language pages, the sign-in log."""

from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client

from jobbtorg.accounts.constants import IDP_MFA_SESSION_KEY, Role
from jobbtorg.accounts.models import User
from jobbtorg.identity.models import ExternalIdentity, SignInLog, StaffRoleMapping
from jobbtorg.identity.services import sessions_end

from ..factories import ParticipantFactory
from .op import COORDINATION_PIN, GROUP_CASEWORKER, GROUP_COACH, PIN

pytestmark = pytest.mark.django_db


def sign_in(client: Client, start: str, account: str):
    """Start at the product, pick `account` at the OP, follow the redirects back; the product's answer."""
    response = client.get(start)
    assert response.status_code == 302, response.content[:500]
    op = requests.Session()
    url = response["Location"]
    for _ in range(12):
        if url.startswith("http://testserver"):
            parts = urlsplit(url)
            return client.get(parts.path, QUERY_STRING=parts.query)
        if "/interaction/" in url and "account=" not in url:
            page = op.get(url, allow_redirects=False)
            if page.status_code == 200:
                answer = op.post(url, data={"account": account}, allow_redirects=False)
                url = answer.headers["Location"]
                url = url if url.startswith("http") else urlsplit(page.url)._replace(path=url).geturl()
                continue
            url = page.headers["Location"]
            continue
        answer = op.get(url, allow_redirects=False)
        assert answer.status_code in (302, 303), (url, answer.status_code, answer.text[:500])
        location = answer.headers["Location"]
        url = (
            location
            if location.startswith("http")
            else urlsplit(url)._replace(path=location, query="").geturl()
        )
    raise AssertionError("too many redirects")


@pytest.fixture
def person(db):
    return ParticipantFactory(personal_number=PIN)


@pytest.fixture
def mappings(unit, district):
    return [
        StaffRoleMapping.objects.create(
            group=GROUP_COACH, role=Role.JOB_COACH, municipality=unit.municipality, unit=unit
        ),
        StaffRoleMapping.objects.create(
            group=GROUP_CASEWORKER, role=Role.CASEWORKER, municipality=unit.municipality, district=district
        ),
    ]


def test_a_participant_signs_in_with_e_id_and_reaches_their_page(oidc, person):
    client = Client()
    response = sign_in(client, "/logga-in/e-legitimation/", "participant")
    assert response.status_code == 302 and response["Location"] == "/mina-sidor/"
    user = User.objects.get(participant=person)
    assert user.is_participant and not user.has_usable_password() and PIN not in user.username
    assert client.get("/mina-sidor/").status_code == 200
    log = SignInLog.objects.get(user=user)
    assert log.method == "eid" and "loa3" in log.assurance
    # The second time, the same login.
    again = Client()
    sign_in(again, "/logga-in/e-legitimation/", "participant")
    assert User.objects.filter(participant=person).count() == 1


def test_a_coordination_number_is_matched_too(oidc):
    person = ParticipantFactory(personal_number=COORDINATION_PIN)
    response = sign_in(Client(), "/logga-in/e-legitimation/", "participant-coordination")
    assert response.status_code == 302 and User.objects.get(participant=person).is_participant


def test_a_low_level_of_assurance_is_refused_plainly(oidc, person):
    client = Client()
    response = sign_in(client, "/logga-in/e-legitimation/", "participant-loa2")
    assert response.status_code == 403 and 'id="refused-low_assurance"' in response.content.decode()
    assert not User.objects.filter(participant=person).exists()
    assert client.get("/mina-sidor/").status_code == 302


def test_a_person_without_a_record_is_told_whom_to_contact(oidc, person):
    client = Client()
    response = sign_in(client, "/logga-in/e-legitimation/", "unknown-person")
    assert response.status_code == 403 and 'id="refused-no_record"' in response.content.decode()


def test_staff_sign_in_with_sso_lands_on_their_start_page_without_our_totp(oidc, mappings, settings):
    settings.JOBBTORG_REQUIRE_2FA = True
    client = Client()
    response = sign_in(client, "/logga-in/kommunkonto/", "coach-sso")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").url == "/planer/arbetslista/"
    user = User.objects.get(external_ids__subject="coach-sso")
    assert user.is_job_coach and user.unit == mappings[0].unit and user.email == "kim.coach@kommun.example"
    assert client.session[IDP_MFA_SESSION_KEY] is True
    assert client.get("/planer/arbetslista/").status_code == 200  # the IdP's MFA: no TOTP step
    assert client.get("/api/worklist/").status_code == 200  # the API through the session
    assert SignInLog.objects.get(user=user).method == "sso"


def test_staff_without_mfa_at_the_idp_still_take_our_totp_step(oidc, mappings, settings):
    settings.JOBBTORG_REQUIRE_2FA = True
    client = Client()
    sign_in(client, "/logga-in/kommunkonto/", "caseworker-nomfa")
    response = client.get("/planer/inkorg/")
    assert response.status_code == 302 and "tvastegsverifiering" in response.url
    assert client.get("/api/inbox/").status_code == 403


def test_an_unmapped_group_is_refused_and_deprovisioning_takes_access_away(oidc, mappings):
    response = sign_in(Client(), "/logga-in/kommunkonto/", "unmapped-staff")
    assert response.status_code == 403 and 'id="refused-no_role"' in response.content.decode()
    assert not ExternalIdentity.objects.filter(subject="unmapped-staff").exists()
    # A coach who signed in before, then is taken out of the group at the IdP.
    client = Client()
    sign_in(client, "/logga-in/kommunkonto/", "coach-sso")
    assert client.get("/planer/arbetslista/").status_code == 200
    StaffRoleMapping.objects.filter(group=GROUP_COACH).delete()
    refused = sign_in(Client(), "/logga-in/kommunkonto/", "coach-sso")
    assert refused.status_code == 403
    user = User.objects.get(external_ids__subject="coach-sso")
    assert not user.is_active
    assert client.get("/planer/arbetslista/").status_code == 302  # the earlier session is over too


def test_an_administrator_ends_all_sessions_of_a_user(oidc, mappings):
    client = Client()
    sign_in(client, "/logga-in/kommunkonto/", "coach-sso")
    user = User.objects.get(external_ids__subject="coach-sso")
    assert sessions_end(user=user) == 1
    assert client.get("/planer/arbetslista/").status_code == 302


def test_sign_out_ends_the_idp_session_too(oidc, mappings, op_issuer):
    client = Client()
    sign_in(client, "/logga-in/kommunkonto/", "coach-sso")
    response = client.post("/logga-ut/")
    assert response.status_code == 302 and response.url.startswith(op_issuer + "/session/end")
    assert "id_token_hint=" in response.url


def test_passwords_can_be_switched_off(settings, coach):
    settings.JOBBTORG_STAFF_PASSWORD_SIGN_IN = False
    response = Client().post("/logga-in/", {"username": "coach", "password": "secret-password-123"})
    assert response.status_code == 200 and "_auth_user_id" not in Client().session
    settings.JOBBTORG_STAFF_PASSWORD_SIGN_IN = True
    client = Client()
    assert (
        client.post("/logga-in/", {"username": "coach", "password": "secret-password-123"}).status_code == 302
    )
    assert SignInLog.objects.get(user=coach).method == "password"


def test_the_login_page_offers_what_is_configured(oidc, client):
    page = client.get("/logga-in/").content.decode()
    assert 'id="sign-in-eid"' in page and 'id="sign-in-staff"' in page


def test_without_oidc_the_sign_in_addresses_are_404(client):
    assert client.get("/logga-in/e-legitimation/").status_code == 404
    assert client.get("/logga-in/kommunkonto/klar/").status_code == 404


def test_a_forged_callback_is_refused(oidc):
    response = Client().get("/logga-in/e-legitimation/klar/", {"code": "forged", "state": "forged"})
    assert response.status_code == 403 and 'id="refused-failed"' in response.content.decode()
