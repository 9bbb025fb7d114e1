"""The figures come from rollups, so they must never be silently stale: a committed write marks them dirty,
the
dashboard rebuilds a small municipality itself and says when it cannot, and every export says how old it
is."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from jobbtorg.reporting.models import Case, Freshness
from jobbtorg.reporting.services import indicators_refresh
from tests.factories import ReferralFactory


@pytest.fixture
def client_en(client):
    client.cookies["django_language"] = "en"
    return client


def referrals_shown(response) -> int:
    """The "Referred" figure of the funnel table."""
    funnel = response.context["funnel"]
    return dict((str(stage), value) for stage, value in funnel)["Referred"]


def test_a_write_is_on_the_dashboard_at_once(
    client_en, unit_head, district, django_capture_on_commit_callbacks
):
    municipality_id = district.municipality_id
    for _i in range(5):
        ReferralFactory(district=district, participant__district=district)
    indicators_refresh(municipality_id=municipality_id)
    client_en.force_login(unit_head)
    first = client_en.get(reverse("reporting:dashboard"))
    assert referrals_shown(first) == 5
    assert "Figures as of" in first.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ReferralFactory(district=district, participant__district=district)
    assert Freshness.objects.get(pk=municipality_id).dirty_since is not None
    second = client_en.get(reverse("reporting:dashboard"))
    assert referrals_shown(second) == 6  # rebuilt on the page: the municipality is small
    state = Freshness.objects.get(pk=municipality_id)
    assert state.dirty_since is None and state.refreshed_at > first.context["freshness"].refreshed_at


def test_an_uncommitted_write_marks_nothing(unit_head, district):
    indicators_refresh(municipality_id=district.municipality_id)
    ReferralFactory(district=district, participant__district=district)  # the test's transaction never commits
    assert Freshness.objects.get(pk=district.municipality_id).dirty_since is None


@override_settings(JOBBTORG_INDICATORS_INLINE_SECONDS=0.0)
def test_a_big_municipality_shows_the_timestamp_and_a_note(
    client_en, unit_head, district, django_capture_on_commit_callbacks
):
    indicators_refresh(municipality_id=district.municipality_id)
    Freshness.objects.filter(pk=district.municipality_id).update(seconds=40.0)  # as if it took long
    with django_capture_on_commit_callbacks(execute=True):
        ReferralFactory(district=district, participant__district=district)
    client_en.force_login(unit_head)
    body = client_en.get(reverse("reporting:dashboard")).content.decode()
    assert "The records have changed since" in body and "Figures as of" in body
    assert Case.objects.count() == 0  # not rebuilt on the page
    call_command("refresh_indicators", "--dirty", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Case.objects.count() == 1
    assert Freshness.objects.get(pk=district.municipality_id).dirty_since is None


def test_assistance_import_and_exit_mark_dirty(district, coach, django_capture_on_commit_callbacks):
    from jobbtorg.followup.models import AssistanceImport, Exit

    referral = ReferralFactory(district=district, participant__district=district, accepted=True)
    indicators_refresh(municipality_id=district.municipality_id)
    with django_capture_on_commit_callbacks(execute=True):
        Exit.objects.create(
            referral=referral, participant=referral.participant, exit_date=timezone.localdate(), reason="work"
        )
    state = Freshness.objects.get(pk=district.municipality_id)
    assert state.dirty_since is not None
    indicators_refresh(municipality_id=district.municipality_id)
    assert Case.objects.get().exit_reason == "work"
    with django_capture_on_commit_callbacks(execute=True):
        AssistanceImport.objects.create(
            municipality_id=district.municipality_id,
            source="file",
            file_name="bistand.csv",
            imported_by=coach,
            month=datetime.date(2025, 1, 1),
            row_count=0,
        )
    assert Freshness.objects.get(pk=district.municipality_id).dirty_since is not None


def test_a_failed_rebuild_keeps_the_mark(district, monkeypatch):
    indicators_refresh(municipality_id=district.municipality_id)
    since = timezone.now() - datetime.timedelta(hours=1)
    Freshness.objects.filter(pk=district.municipality_id).update(dirty_since=since)
    monkeypatch.setattr("jobbtorg.reporting.services.case_sql", lambda dialect: "SELECT broken")
    with pytest.raises(Exception):  # noqa: B017, PT011
        indicators_refresh(municipality_id=district.municipality_id)
    assert Freshness.objects.get(pk=district.municipality_id).dirty_since == since


def test_exports_say_how_old_the_figures_are(client_en, unit_head, district):
    indicators_refresh(municipality_id=district.municipality_id)
    client_en.force_login(unit_head)
    response = client_en.get(reverse("reporting:export", args=["flow", "csv"]))
    assert "Figures as of" in response.content.decode("utf-8-sig")
    assert response.has_header("Last-Modified")


def test_a_stale_figure_says_how_old_it_is(client, unit_head, district):
    """Figures not rebuilt for three hours (nothing changed since) say so, in Swedish and in English."""
    ReferralFactory(district=district, participant__district=district)
    indicators_refresh(municipality_id=district.municipality_id)
    Freshness.objects.filter(pk=district.municipality_id).update(
        refreshed_at=timezone.now() - datetime.timedelta(hours=3, minutes=5)
    )
    client.force_login(unit_head)
    swedish = client.get(reverse("reporting:dashboard")).content.decode()
    assert "beräknade för 3\xa0timmar" in swedish and "sedan" in swedish
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reporting:dashboard")).content.decode()
    assert "computed 3\xa0hours" in english and "ago." in english
