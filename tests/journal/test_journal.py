"""The case journal: write, sign, correct (never change), who sees what, read logging, retention and the
research extract."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.journal import services
from jobbtorg.journal.models import JournalEntry, Message
from jobbtorg.participants.models import Participant
from jobbtorg.privacy import retention
from jobbtorg.referrals.models import Referral
from jobbtorg.reporting import research
from jobbtorg.reporting.services import indicators_refresh
from jobbtorg.reporting.sql import Dialect
from tests.factories import UserFactory, provider_user

from .conftest import assign

TODAY = timezone.localdate


@pytest.fixture
def case(accepted_referral, coach):
    from tests.factories import ProviderFactory

    provider = ProviderFactory(municipality=accepted_referral.unit.municipality)
    assign(accepted_referral, provider, accepted_referral.caseworker)
    return accepted_referral


@pytest.fixture
def provider_staff(case):
    return provider_user(case.provider_assignments.get().provider, username="anordnare")


def _write(case, by, body="Möte om praktik på vårdboende.", sign=True, **kwargs):
    return services.entry_write(
        referral=case, kind="meeting", occurred_on=TODAY(), body=body, by=by, sign=sign, **kwargs
    )


def test_the_coach_writes_and_signs_on_the_page(client, coach, case):
    client.force_login(coach)
    url = reverse("journal:person", kwargs={"participant_pk": case.participant_id})
    response = client.post(
        url, {"kind": "phone", "occurred_on": TODAY().isoformat(), "body": "Ringde om sjukdom.", "sign": "1"}
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.signed_at is not None and entry.author == coach and entry.referral == case
    assert ChangeLog.objects.filter(
        action="journal_entry_written", participant_id=case.participant_id
    ).exists()
    assert "Ringde om sjukdom." not in str(ChangeLog.objects.values_list("changes", flat=True))
    page = client.get(url)
    assert "Ringde om sjukdom." in page.content.decode()
    assert ReadLog.objects.filter(user=coach, participant_id=case.participant_id, view="journal").exists()


def test_bad_input_is_a_field_message(client, coach, case):
    client.force_login(coach)
    url = reverse("journal:person", kwargs={"participant_pk": case.participant_id})
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"kind": "meeting", "occurred_on": tomorrow, "body": "x", "sign": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["occurred_on"]
    assert not JournalEntry.objects.exists()
    with pytest.raises(ValidationError) as error:
        _write(case, coach, body="   ")
    assert "body" in error.value.message_dict


def test_a_signed_entry_is_never_changed_and_a_correction_points_to_it(client, coach, case):
    entry = _write(case, coach)
    entry.body = "Ändrad i efterhand"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        services.entry_sign(entry=entry, by=coach)
    client.force_login(coach)
    url = reverse("journal:entry_correct", kwargs={"pk": entry.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "meeting",
            "occurred_on": TODAY().isoformat(),
            "body": "Rättelse: vårdcentral.",
            "sign": "1",
        },
    )
    assert response.status_code == 302
    correction = JournalEntry.objects.get(corrects=entry)
    assert correction.signed_at is not None
    assert JournalEntry.objects.get(pk=entry.pk).body == "Möte om praktik på vårdboende."
    page = client.get(
        reverse("journal:person", kwargs={"participant_pk": case.participant_id})
    ).content.decode()
    assert page.index("Möte om praktik på vårdboende.") < page.index("Rättelse: vårdcentral.")


def test_an_unsigned_entry_cannot_be_corrected_and_only_its_author_sees_and_signs_it(case, coach, unit):
    draft = _write(case, coach, sign=False)
    colleague = UserFactory(counsellor=True, unit=unit)
    assert not JournalEntry.objects.visible_to(colleague).filter(pk=draft.pk).exists()
    assert JournalEntry.objects.visible_to(coach).filter(pk=draft.pk).exists()
    with pytest.raises(PermissionDenied):
        _write(case, coach, corrects=draft)
    with pytest.raises(PermissionDenied):
        services.entry_sign(entry=draft, by=colleague)
    services.entry_sign(entry=draft, by=coach)
    assert JournalEntry.objects.visible_to(colleague).filter(pk=draft.pk).exists()


def test_who_sees_which_entries(case, coach, caseworker, other_unit_coach, other_caseworker, provider_staff):
    by_coach = _write(case, coach, body="Jobbtorgets anteckning")
    by_provider = _write(case, provider_staff, body="Anordnarens anteckning")
    assert by_provider.author_provider_id == provider_staff.provider_id
    assert set(JournalEntry.objects.visible_to(coach)) == {by_coach, by_provider}
    assert set(JournalEntry.objects.visible_to(caseworker)) == {by_coach, by_provider}
    assert set(JournalEntry.objects.visible_to(provider_staff)) == {by_provider}
    assert not JournalEntry.objects.visible_to(other_unit_coach).exists()
    assert not JournalEntry.objects.visible_to(other_caseworker).exists()
    participant_login = UserFactory(role="participant", participant=case.participant)
    assert not JournalEntry.objects.visible_to(participant_login).exists()
    # the consent district ↔ Jobbtorg withdrawn: the basis ends for the Jobbtorg and the caseworker alike
    Referral.objects.filter(pk=case.pk).update(consent_withdrawn_at=timezone.now())
    assert not JournalEntry.objects.visible_to(coach).exists()
    assert not JournalEntry.objects.visible_to(caseworker).exists()


def test_the_caseworker_and_the_unit_head_read_but_do_not_write(client, case, caseworker, unit_head, coach):
    _write(case, coach)
    url = reverse("journal:person", kwargs={"participant_pk": case.participant_id})
    for user in (caseworker, unit_head):
        client.force_login(user)
        assert client.get(url).status_code == 200
        response = client.post(url, {"kind": "other", "occurred_on": TODAY().isoformat(), "body": "x"})
        assert response.status_code == 403
    assert JournalEntry.objects.count() == 1


def test_the_api_writes_signs_corrects_and_logs_reads(api_client, coach, case):
    api_client.force_authenticate(coach)
    response = api_client.post(
        "/api/journal-entries/",
        {
            "participant": str(case.participant_id),
            "kind": "meeting",
            "occurred_on": str(TODAY()),
            "body": "API",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["signed_at"] is None
    assert api_client.post(f"/api/journal-entries/{pk}/sign/").status_code == 200
    assert api_client.post(f"/api/journal-entries/{pk}/sign/").status_code == 403
    corrected = api_client.post(
        "/api/journal-entries/",
        {"corrects": pk, "kind": "meeting", "occurred_on": str(TODAY()), "body": "Rättat", "sign": True},
        format="json",
    )
    assert corrected.status_code == 201 and corrected.json()["corrects"] == pk
    listed = api_client.get(f"/api/journal-entries/?participant={case.participant_id}")
    assert listed.status_code == 200 and len(listed.json()["results"]) == 2
    assert ReadLog.objects.filter(user=coach, view="journal_list", channel="api").exists()
    bad = api_client.post("/api/journal-entries/", {"kind": "meeting"}, format="json")
    assert bad.status_code == 400 and "occurred_on" in bad.json()


def test_retention_thins_journal_entries_and_messages_with_the_case_file():
    found = {
        (relation.related_model._meta.label_lower, action)
        for relation, action in retention.relations_to(Participant)
    }
    assert ("journal.journalentry", retention.THIN) in found
    assert ("journal.message", retention.THIN) in found
    assert ("journal.noticepreference", retention.THIN) in found
    referral_relations = {r.related_model._meta.label_lower for r, _a in retention.relations_to(Referral)}
    assert {"journal.journalentry", "journal.message"} <= referral_relations
    corrections = {r.related_model._meta.label_lower for r, _a in retention.relations_to(JournalEntry)}
    assert "journal.journalentry" in corrections


def test_the_real_retention_run_removes_the_journal_with_the_case(case, coach, settings):
    settings.JOBBTORG_RETENTION = {
        **settings.JOBBTORG_RETENTION,
        "archive_birth_days": (),
        "archive_all": False,
    }
    entry = _write(case, coach)
    _write(case, coach, corrects=entry, body="Rättelse")
    services.message_send(referral=case, body="Hej!", by=coach)
    long_ago = timezone.now() - dt.timedelta(days=6 * 366)
    Referral.objects.filter(pk=case.pk).update(
        status="closed", close_reason="work", closed_at=long_ago, updated_at=long_ago
    )
    Participant.objects.filter(pk=case.participant_id).update(created_at=long_ago)
    ChangeLog.objects.filter(participant_id=case.participant_id).update(at=long_ago)
    plan = retention.retention_plan()
    assert case.participant_id in plan.people
    assert plan.records["journal.journalentry"] and plan.records["journal.message"]
    retention.retention_apply(plan=plan, ran_by="test")
    assert not JournalEntry.objects.exists()
    assert not Message.objects.exists()


def test_the_research_extract_never_includes_the_journal(case, coach, settings):
    settings.JOBBTORG_RESEARCH_KEY = "test-key"
    _write(case, coach, body="Hemlig journaltext")
    indicators_refresh()
    for dialect in (Dialect.of("sqlite"), Dialect.of("postgresql")):
        sql = research.extract_sql(dialect)
        assert JournalEntry._meta.db_table not in sql and Message._meta.db_table not in sql
    rows = list(
        research.extract_rows(
            municipality_id=case.unit.municipality_id,
            start=TODAY() - dt.timedelta(days=30),
            end=TODAY() + dt.timedelta(days=1),
        )
    )
    assert len(rows) >= 2  # the header and the referral
    assert "Hemlig journaltext" not in repr(rows)


def test_the_journal_is_paged_filtered_by_type_and_ordered_in_the_url(client, coach, case):
    """Issue 16: a long journal keeps its filter and order across pages; a correction stays under its
    original, whatever the page."""
    for day in range(25):
        services.entry_write(
            referral=case,
            kind="phone" if day % 5 == 0 else "meeting",
            occurred_on=TODAY() - dt.timedelta(days=day),
            body=f"Anteckning {day:02d}.",
            by=coach,
            sign=True,
        )
    client.force_login(coach)
    url = reverse("journal:person", kwargs={"participant_pk": case.participant_id})
    first = client.get(url).content.decode()
    assert "Anteckning 00." in first and "Anteckning 19." in first and "Anteckning 20." not in first
    assert 'href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Anteckning 20." in second and "Anteckning 24." in second and "Anteckning 19." not in second
    oldest = client.get(url, {"sort": "occurred"}).content.decode()
    assert oldest.index("Anteckning 24.") < oldest.index("Anteckning 23.") and "Anteckning 04." not in oldest
    phones = client.get(url, {"kind": "phone", "sort": "occurred"}).content.decode()
    shown = sorted(
        (f"Anteckning {day:02d}." for day in range(25) if f"Anteckning {day:02d}." in phones),
        key=phones.index,
    )
    assert shown == ["Anteckning 20.", "Anteckning 15.", "Anteckning 10.", "Anteckning 05.", "Anteckning 00."]
    assert 'id="filter_kind"' in phones and 'id="id_kind"' in phones  # two forms, no duplicate id
    # a bad filter or page is the default list, never an error
    for params in ({"kind": "nonsense"}, {"sort": "body"}, {"page": "x"}):
        response = client.get(url, params)
        assert response.status_code == 200 and "Anteckning 00." in response.content.decode()
