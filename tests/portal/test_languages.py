"""The participant's language (issue 17): seven languages on the participant's side, sv/en for staff, the
choice stored on the record, reminders and notices in it, names instead of codes, complete catalogues."""

import datetime as dt
import gettext
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jobbtorg.attendance import services as attendance_services
from jobbtorg.audit.models import ChangeLog
from jobbtorg.integrations.messaging import LogSmsSender
from jobbtorg.journal import services as journal_services
from jobbtorg.participants.models import Participant
from jobbtorg.portal import catalogues
from jobbtorg.utils.languages import PARTICIPANT_LANGUAGES, language_name, language_names

from ..factories import ProviderFactory, UserFactory

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


@pytest.fixture
def person(accepted_referral):
    return accepted_referral.participant


@pytest.fixture
def person_user(person):
    return UserFactory(role="participant", participant=person, username="deltagare")


def set_language(person, code):
    Participant.objects.filter(pk=person.pk).update(language=code)
    person.refresh_from_db()


# The catalogues ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", catalogues.CATALOGUE_LANGUAGES)
def test_participant_catalogue_is_complete(language):
    """Every participant-facing string of the Swedish catalogue is translated (not empty, not fuzzy), with
    the same placeholders, in the catalogue and in its compiled .mo; the header says who translated it and
    whether a native speaker has reviewed it."""
    wanted = catalogues.participant_entries()
    assert len(wanted) > 150  # the selection really finds the portal's strings
    header, entries = catalogues.read_po(catalogues.catalogue_path(language))
    have = {entry.key: entry for entry in entries}
    problems = []
    for source in wanted:
        entry = have.get(source.key)
        if entry is None:
            problems.append(f"missing: {source.msgid!r}")
        elif not entry.is_translated or entry.is_fuzzy:
            problems.append(f"{'fuzzy' if entry.is_fuzzy else 'empty'}: {source.msgid!r}")
        else:
            for text in [entry.msgstr] if entry.msgid_plural is None else entry.msgstr_plural.values():
                if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                    problems.append(f"placeholders differ: {source.msgid!r} → {text!r}")
    assert not problems, f"{language}: run `manage.py participant_messages` and translate:\n" + "\n".join(
        problems
    )
    assert "Review status:" in header and "Language-Team:" in header
    compiled = gettext.GNUTranslations(catalogues.catalogue_path(language).with_suffix(".mo").open("rb"))
    for entry in entries:
        if entry.msgid_plural is None and entry.msgctxt is None:
            assert compiled.gettext(entry.msgid) == entry.msgstr, (
                f"{language}: .mo is stale, run compilemessages"
            )


def test_the_selection_covers_the_portal_templates():
    """A string in a portal template is participant-facing without anyone listing it."""
    msgids = {entry.msgid for entry in catalogues.participant_entries()}
    assert {"My plan", "My week", "Report absence", "My language", "Reminder from Jobbtorg"} <= msgids
    assert "Approve the plan" not in msgids  # a staff string stays out
    # the plan-agreement pages and the printed plan are covered too: nothing waits outside the test
    assert {"I agree to the plan", "Download my plan as a PDF", "Who agreed when", "Goals"} <= msgids
    assert not hasattr(catalogues, "AWAITING_TRANSLATION")


@pytest.mark.parametrize(
    ("language", "text"),
    [("ar", "خطتي"), ("so", "Qorshahayga"), ("ti", "መደበይ"), ("fa", "پلان من"), ("sv-x-easy", "Min plan")],
)
def test_each_language_is_active(language, text):
    with translation.override(language):
        assert translation.gettext("My plan") == text
        # a staff string a catalogue does not hold falls back to Swedish, never to a broken page
        assert translation.gettext("Organisation and staff") == "Organisation och personal"


# Pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("so", "ltr"), ("ti", "ltr")]
)
def test_portal_speaks_the_language_on_the_record(person, person_user, language, direction):
    set_language(person, language)
    client = Client()
    client.force_login(person_user)
    page = client.get(reverse("portal:home")).text
    assert f'<html lang="{language}" dir="{direction}">' in page
    with translation.override(language):
        assert (
            translation.gettext("Here you can see your plan, your week, your meetings and where you go.")
            in page
        )


def test_easy_swedish_is_its_own_language(person, person_user):
    set_language(person, "sv-x-easy")
    client = Client()
    client.force_login(person_user)
    page = client.get(reverse("portal:absence")).text
    assert '<html lang="sv-x-easy" dir="ltr">' in page
    assert "Säg att du inte kan komma" in page  # easy-to-read, not the standard "Anmäl frånvaro"


def test_language_switch_shows_names_and_staff_get_only_swedish_and_english(coach, person, person_user):
    client = Client()
    client.force_login(person_user)
    page = client.get(reverse("portal:home")).text
    for name in ("Svenska", "Lättläst svenska", "English", "العربية", "Soomaali", "ትግርኛ", "دری"):
        assert f">{name}</option>" in page
    assert f'action="{reverse("portal:language")}"' in page

    staff = Client()
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"  # e.g. a shared computer
    staff.force_login(coach)
    page = staff.get(reverse("participants:detail", args=[person.pk])).text
    assert '<html lang="sv" dir="ltr">' in page
    assert ">Svenska</option>" in page and ">English</option>" in page and "العربية</option>" not in page


def test_the_sign_in_page_speaks_every_participant_language():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "ti", "next": reverse("accounts:login")})
    assert response.status_code == 302
    page = client.get(reverse("accounts:login")).text
    assert '<html lang="ti"' in page and "እቶ" in page  # "Log in"


def test_participant_chooses_a_language_and_it_is_stored(person, person_user):
    client = Client()
    client.force_login(person_user)
    response = client.post(reverse("portal:language"), {"language": "so", "next": reverse("portal:messages")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:messages")
    person.refresh_from_db()
    assert person.language == "so"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "so"
    change = ChangeLog.objects.get(action="participant_language_set")
    assert change.actor == person_user and change.changes == {"language": {"from": "sv", "to": "so"}}
    assert "Fariimaha" in client.get(reverse("portal:messages")).text  # "Messages" in Somali

    bad = client.post(reverse("portal:language"), {"language": "xx"})
    assert bad.status_code == 400 and 'id="form-errors"' in bad.text
    off_site = client.post(reverse("portal:language"), {"language": "ar", "next": "https://evil.example/"})
    assert off_site["Location"] == reverse("portal:home")


def test_signing_in_keeps_the_language_chosen_on_the_sign_in_page(person, person_user):
    person_user.set_password("a long enough password")
    person_user.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    client.post(reverse("accounts:login"), {"username": "deltagare", "password": "a long enough password"})
    person.refresh_from_db()
    assert person.language == "ar"


def test_coach_sets_the_language_on_the_record_and_api(coach, caseworker, person, api_client):
    client = Client()
    client.force_login(coach)
    response = client.post(reverse("participants:language", args=[person.pk]), {"language": "ti"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "ti"
    page = client.get(reverse("participants:detail", args=[person.pk])).text
    assert "tigrinska" in page  # the name, never the code

    assert (
        client.post(reverse("participants:language", args=[person.pk]), {"language": ""}).status_code == 400
    )

    api_client.force_authenticate(caseworker)
    url = reverse("api-participant-language", args=[person.pk])
    answer = api_client.post(url, {"language": "fa"}, format="json")
    assert answer.status_code == 200 and answer.json()["language"] == "fa"
    wrong = api_client.post(url, {"language": "klingon"}, format="json")
    assert wrong.status_code == 400 and "language" in wrong.json()

    provider_staff = UserFactory(role="provider_staff", provider=ProviderFactory())
    api_client.force_authenticate(provider_staff)
    assert api_client.post(url, {"language": "ar"}, format="json").status_code in (403, 404)


# Messages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("so", "Xusuusin: kulan Jobbtorg"),
        ("ar", "تذكير: لديك موعد مع Jobbtorg"),
        ("sv-x-easy", "Kom ihåg: du har möte med Jobbtorg"),
        ("sv", "Påminnelse: möte med Jobbtorg"),
    ],
)
def test_sms_reminder_is_in_the_persons_language(accepted_referral, coach, person, language, expected):
    set_language(person, language)
    Participant.objects.filter(pk=person.pk).update(phone="0701234567", email="p@example.org")
    LogSmsSender.sent.clear()
    start = timezone.now() + dt.timedelta(hours=5)
    attendance_services.appointment_create(
        referral=accepted_referral,
        by=coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Rinkebystråket 1",
    )
    assert attendance_services.appointment_reminders_send() == 1
    (sms,) = LogSmsSender.sent
    assert sms.body.startswith(expected) and "Rinkebystråket 1" in sms.body
    assert mail.outbox[0].body == sms.body


def test_message_notice_is_in_the_persons_language(
    accepted_referral, coach, person, django_capture_on_commit_callbacks
):
    set_language(person, "ti")
    Participant.objects.filter(pk=person.pk).update(phone="0701234567", email="")
    LogSmsSender.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        journal_services.message_send(referral=accepted_referral, body="Hej", by=coach)
    (sms,) = LogSmsSender.sent
    assert sms.body.startswith("ኣብ Jobbtorg ሓድሽ መልእኽቲ ኣሎካ")


# Names, not codes -------------------------------------------------------------------------------------------


def test_language_codes_are_shown_as_names():
    with translation.override("sv"):
        assert language_names(["so", "ti", "ar", "fa", "prs"]) == [
            "somaliska",
            "tigrinska",
            "arabiska",
            "dari",
            "dari",
        ]
        assert language_name("Kurdiska") == "Kurdiska"  # typed as a name: kept
    with translation.override("en"):
        assert language_names(["so", "ti"]) == ["Somali", "Tigrinya"]
    assert set(PARTICIPANT_LANGUAGES) == {code for code, _name in settings.LANGUAGES}


def test_person_record_shows_language_names(coach, person):
    Participant.objects.filter(pk=person.pk).update(languages=["so", "ti"])
    client = Client()
    client.force_login(coach)
    page = client.get(reverse("participants:detail", args=[person.pk])).text
    assert "somaliska, tigrinska" in page
