"""Issue 13's four sign-in paths in headless Chromium against a real OpenID Provider (tests/oidc/op.js,
its own process): a participant signs in with e-ID and sees their plan; a staff member signs in with
single sign-on and lands on their role's start page; a user with an unmapped group is refused; a
low-assurance e-ID is refused."""

import pytest
from playwright.sync_api import expect

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import Unit, User
from jobbtorg.identity.models import SignInLog, StaffRoleMapping

from ..identity.op import ACCOUNTS, GROUP_COACH, LOA2, LOA3, oidc_settings, running_op

pytestmark = pytest.mark.browser


@pytest.fixture
def op(demo, live_server, settings):
    person = User.objects.get(username="deltagare").participant
    unit = Unit.objects.get(name="Jobbtorg Järva")
    StaffRoleMapping.objects.create(
        group=GROUP_COACH, role=Role.JOB_COACH, municipality=unit.municipality, unit=unit
    )
    accounts = {
        "participant": {"claims": {"personal_identity_number": person.personal_number}, "acr": LOA3},
        "participant-loa2": {"claims": {"personal_identity_number": person.personal_number}, "acr": LOA2},
        "coach-sso": ACCOUNTS["coach-sso"],
        "unmapped-staff": ACCOUNTS["unmapped-staff"],
    }
    with running_op([live_server.url], accounts) as issuer:
        settings.JOBBTORG_OIDC = oidc_settings(issuer)
        settings.JOBBTORG_REQUIRE_2FA = True
        yield person


def _sign_in(browser, live_server, button: str, account: str):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/logga-in/")
    page.locator(f"#{button}").click()
    page.locator(f"button[value='{account}']").click()
    page.wait_for_load_state()
    return page


def test_a_participant_signs_in_with_e_id_and_sees_their_plan(op, browser, live_server):
    page = _sign_in(browser, live_server, "sign-in-eid", "participant")
    assert page.url == live_server.url + "/mina-sidor/"
    expect(page.locator("#plan-heading")).to_be_visible()
    assert SignInLog.objects.filter(user__participant=op, method="eid").exists()


def test_a_staff_member_signs_in_with_sso_and_lands_on_their_start_page(op, browser, live_server):
    page = _sign_in(browser, live_server, "sign-in-staff", "coach-sso")
    assert page.url == live_server.url + "/planer/arbetslista/"  # the IdP's MFA: no TOTP step
    expect(page.locator("main h1")).to_be_visible()
    assert User.objects.get(external_ids__subject="coach-sso").is_job_coach


def test_a_user_with_an_unmapped_group_is_refused(op, browser, live_server):
    page = _sign_in(browser, live_server, "sign-in-staff", "unmapped-staff")
    expect(page.locator("#refused-no_role")).to_be_visible()
    page.goto(live_server.url + "/planer/arbetslista/")
    assert "/logga-in/" in page.url


def test_a_low_assurance_e_id_is_refused(op, browser, live_server):
    page = _sign_in(browser, live_server, "sign-in-eid", "participant-loa2")
    expect(page.locator("#refused-low_assurance")).to_be_visible()
    page.goto(live_server.url + "/mina-sidor/")
    assert "/logga-in/" in page.url
