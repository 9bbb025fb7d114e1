import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.models import Consent, Participant
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import personal_numbers

from ..factories import ReferralFactory, UnitFactory

NUMBER = personal_numbers.make(datetime.date(1985, 7, 9), 980)


@pytest.fixture
def client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _form(**overrides):
    data = {
        "personal_number": personal_numbers.formatted(NUMBER),
        "first_name": "Amina",
        "last_name": "Hassan",
        "email": "amina@example.org",
        "phone": "070-111 22 33",
        "address": "Rinkebytorget 1",
        "postal_code": "163 73",
        "city": "Spånga",
        "languages": "somaliska, arabiska , ",
        "target_groups": ["unemployed_on_assistance", "newly_arrived"],
        "work_capacity": "75",
        "target_group": "unemployed_on_assistance",
        "reason": "Arbetslös sedan ett år.",
        "assistance_status": "receiving",
        "notes": "",
        "chosen_unit": "",
        "consent_given": "on",
        "consent_date": "",
    }
    data.update(overrides)
    return data


def _number_not_in(url: str) -> bool:
    return NUMBER not in url and NUMBER[2:] not in url and personal_numbers.formatted(NUMBER) not in url


def test_create_page_renders_for_a_caseworker(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("referrals:create"))
    assert response.status_code == 200 and 'for="id_personal_number"' in response.text
    assert "Jobbtorg Järva" in response.text


@pytest.mark.parametrize("fixture", ["coach", "unit_head", "analyst"])
def test_create_is_for_caseworkers_only(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("referrals:create")).status_code == 403
    assert client.post(reverse("referrals:create"), _form()).status_code == 403
    assert not Participant.objects.exists()


def test_create_registers_the_person_and_routes_to_the_districts_unit(client, caseworker, district):
    client.force_login(caseworker)
    response = client.post(reverse("referrals:create"), _form())
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "referrals:detail", args=[referral.pk]
    )
    assert _number_not_in(response["Location"])
    person = referral.participant
    assert person.personal_number == NUMBER and person.district == district
    assert person.languages == ["somaliska", "arabiska"] and person.work_capacity == 75
    assert person.target_groups == ["unemployed_on_assistance", "newly_arrived"]
    assert referral.unit == district.unit and not referral.unit_chosen_by_participant
    assert Consent.objects.get(participant=person).status == "given"

    page = client.get(response["Location"])
    with translation.override("en"):
        due = formats.date_format(referral.plan_due_date)
    assert f"Action plan due by {due}" in page.text
    assert "The referral was sent to Jobbtorg Järva" in page.text


def test_create_with_a_unit_chosen_by_the_person(client, caseworker, district):
    chosen = UnitFactory(municipality=district.municipality, name="Jobbtorg Sydväst")
    client.force_login(caseworker)
    client.post(reverse("referrals:create"), _form(chosen_unit=str(chosen.pk)))
    referral = Referral.objects.get()
    assert referral.unit == chosen and referral.unit_chosen_by_participant


def test_invalid_number_is_a_field_error_and_nothing_is_written(client, caseworker):
    client.force_login(caseworker)
    broken = NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)
    response = client.post(reverse("referrals:create"), _form(personal_number=broken))
    assert response.status_code == 200
    assert 'id="id_personal_number_error"' in response.text
    assert "not a valid personal identity number" in response.text
    assert not Participant.objects.exists() and not Referral.objects.exists()


def test_missing_required_fields_show_errors(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("referrals:create"), _form(reason="", target_group="", email="no-at-sign"))
    assert response.status_code == 200 and 'role="alert"' in response.text
    for field in ("reason", "target_group", "email"):
        assert f'id="id_{field}_error"' in response.text
    assert not Participant.objects.exists()


def test_a_second_open_referral_is_refused(client, caseworker):
    client.force_login(caseworker)
    client.post(reverse("referrals:create"), _form())
    response = client.post(reverse("referrals:create"), _form(reason="Igen"))
    assert response.status_code == 200
    assert (
        "already has an open referral" in response.text and 'id="id_personal_number_error"' in response.text
    )
    assert Referral.objects.count() == 1


def test_person_of_another_district_cannot_be_referred(client, caseworker, other_caseworker):
    client.force_login(other_caseworker)
    client.post(reverse("referrals:create"), _form())
    client.force_login(caseworker)
    response = client.post(reverse("referrals:create"), _form())
    assert response.status_code == 200 and "registered in another district" in response.text
    assert Referral.objects.count() == 1


def test_list_shows_visible_referrals_with_masked_numbers_and_logs_reads(
    client, coach, district, other_unit_coach
):
    mine = ReferralFactory(participant__district=district)
    theirs = ReferralFactory()  # another district served by another unit
    client.force_login(coach)
    response = client.get(reverse("referrals:list"))
    assert response.status_code == 200
    assert mine.participant.masked_personal_number in response.text
    assert mine.participant.formatted_personal_number not in response.text
    assert theirs.participant.last_name not in response.text
    assert list(ReadLog.objects.values_list("participant_id", "view")) == [
        (mine.participant_id, "referral_list")
    ]


def test_list_filters_by_status_and_ignores_nonsense(client, caseworker, district):
    received = ReferralFactory(participant__district=district)
    closed = ReferralFactory(participant__district=district, closed=True)
    client.force_login(caseworker)
    response = client.get(reverse("referrals:list"), {"status": "closed"})
    assert (
        closed.participant.last_name in response.text and received.participant.last_name not in response.text
    )
    response = client.get(reverse("referrals:list"), {"status": "bogus"})
    assert response.status_code == 200 and 'id="id_status_error"' in response.text


def test_list_is_paginated_without_n_plus_one(client, caseworker, district, django_assert_max_num_queries):
    for _ in range(30):
        ReferralFactory(participant__district=district)
    client.force_login(caseworker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:list"))
    assert response.text.count("-****") == 25
    assert client.get(reverse("referrals:list"), {"page": 2}).text.count("-****") == 5


def test_list_sorts_and_keeps_filter_and_sort_across_pages(client, caseworker, district):
    today = datetime.date.today()
    for days in range(30):
        ReferralFactory(
            participant__district=district,
            participant__last_name=f"Dagar{days:02d}",
            referral_date=today - datetime.timedelta(days=days),
        )
    ReferralFactory(participant__district=district, closed=True)
    client.force_login(caseworker)
    url = reverse("referrals:list")
    first = client.get(url, {"status": "received", "sort": "received"})
    oldest, newest = "Dagar29", "Dagar00"
    assert first.text.count("-****") == 25 and oldest in first.text and newest not in first.text
    assert 'aria-sort="ascending"' in first.text and 'name="sort" value="received"' in first.text
    # the pager keeps the filter and the order; the header link flips the order and goes back to page 1
    assert 'href="?status=received&amp;sort=received&amp;page=2"' in first.text
    assert 'href="?status=received&amp;sort=-received"' in first.text
    second = client.get(url, {"status": "received", "sort": "received", "page": 2})
    assert second.text.count("-****") == 5 and newest in second.text and oldest not in second.text
    # a column that is not whitelisted, or a page that is no number: the default, never an error
    for params in ({"sort": "participant__personal_number"}, {"sort": "-"}, {"page": "x"}, {"page": "-3"}):
        response = client.get(url, params)
        assert response.status_code == 200 and 'aria-sort="descending"' in response.text


def test_detail_logs_the_read_and_shows_accept_for_unit_staff(client, coach, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(coach)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert reverse("referrals:accept", args=[referral.pk]) in response.text
    assert reverse("participants:detail", args=[referral.participant_id]) in response.text
    assert ReadLog.objects.get().view == "referral_detail"


def test_caseworker_sees_close_but_not_accept(client, caseworker, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(caseworker)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert reverse("referrals:close", args=[referral.pk]) in response.text
    assert reverse("referrals:accept", args=[referral.pk]) not in response.text


@pytest.mark.parametrize(
    ("fixture", "status"), [("other_caseworker", 404), ("other_unit_coach", 404), ("analyst", 403)]
)
def test_detail_outside_scope(client, request, district, fixture, status):
    referral = ReferralFactory(participant__district=district)
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == status
    assert not ReadLog.objects.exists()


def test_accept_by_post(client, coach, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(coach)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]), {"accept-version": referral.lock_version}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "referrals:detail", args=[referral.pk]
    )
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.coach == coach
    page = client.get(response["Location"])
    assert reverse("plans:mapping", args=[referral.pk]) in page.text


def test_accept_with_a_stale_version_reports_the_conflict(client, coach, district):
    referral = ReferralFactory(participant__district=district, lock_version=3)
    client.force_login(coach)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]), {"accept-version": 2}, follow=True
    )
    assert "Someone else changed this" in response.text
    referral.refresh_from_db()
    assert referral.status == "received" and referral.lock_version == 3


def test_accept_when_not_allowed_by_the_workflow_is_a_message(client, coach, district):
    referral = ReferralFactory(participant__district=district, closed=True)
    client.force_login(coach)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]),
        {"accept-version": referral.lock_version},
        follow=True,
    )
    assert response.status_code == 200 and "cannot become accepted" in response.text


def test_caseworker_cannot_accept(client, caseworker, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(caseworker)
    response = client.post(reverse("referrals:accept", args=[referral.pk]), {"accept-version": 0})
    assert response.status_code == 403


def test_other_unit_cannot_act(client, other_unit_coach, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(other_unit_coach)
    assert (
        client.post(reverse("referrals:accept", args=[referral.pk]), {"accept-version": 0}).status_code == 404
    )


def test_return_needs_a_reason(client, unit_head, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(unit_head)
    response = client.post(
        reverse("referrals:return", args=[referral.pk]), {"return-version": 0, "return-reason": "  "}
    )
    assert response.status_code == 200 and 'id="id_return-reason_error"' in response.text
    referral.refresh_from_db()
    assert referral.status == "received"
    response = client.post(
        reverse("referrals:return", args=[referral.pk]), {"return-version": 0, "return-reason": "Fel enhet"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "returned" and referral.return_reason == "Fel enhet"


def test_returned_referral_is_resubmitted_by_the_caseworker(client, caseworker, district):
    referral = ReferralFactory(participant__district=district, returned=True)
    client.force_login(caseworker)
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert reverse("referrals:resubmit", args=[referral.pk]) in page.text
    response = client.post(
        reverse("referrals:resubmit", args=[referral.pk]),
        {"resubmit-version": 0, "resubmit-comment": "Rättat"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "received"


def test_close_by_the_caseworker_with_a_reason(client, caseworker, accepted_referral):
    client.force_login(caseworker)
    url = reverse("referrals:close", args=[accepted_referral.pk])
    response = client.post(url, {"close-version": accepted_referral.lock_version, "close-reason": ""})
    assert response.status_code == 200 and 'id="id_close-reason_error"' in response.text
    response = client.post(url, {"close-version": accepted_referral.lock_version, "close-reason": "work"})
    assert response.status_code == 302
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed" and accepted_referral.close_reason == "work"
    assert list(accepted_referral.events.values_list("to_status", flat=True)) == ["closed"]


def test_actions_are_post_only(client, coach, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(coach)
    assert client.get(reverse("referrals:accept", args=[referral.pk])).status_code == 405
