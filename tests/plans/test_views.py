"""The web UI of the plans area: worklist, inbox, mapping, action plan editor, decision and versions."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.plans.constants import PlanStatus, VersionStatus
from jobbtorg.plans.forms import PlanEditor
from jobbtorg.plans.models import ActionPlan, Mapping, PlanVersion
from jobbtorg.utils.forms import add_service_errors

from ..factories import ActionPlanFactory, MappingFactory, ReferralFactory, UserFactory

TODAY = datetime.date(2026, 3, 11)  # a Wednesday; no Swedish holiday near it
MONDAY = datetime.date(2026, 3, 16)


def _english_client() -> Client:
    """The UI is Swedish unless the language switch chose another (a cookie); the tests read English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client():
    return _english_client()


@pytest.fixture
def today(monkeypatch):
    """Freeze `timezone.localdate()` (the date the views and selectors call "today")."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture
def matcher(unit):
    return UserFactory(matcher=True, unit=unit, username="matchare")


def _referral(caseworker, referral_date, **kwargs):
    return ReferralFactory(
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        referral_date=referral_date,
        **kwargs,
    )


def _row(key, code_pk, start, hours, end="", description=""):
    return {
        f"act-{key}-intervention_type": str(code_pk) if code_pk else "",
        f"act-{key}-description": description,
        f"act-{key}-start_date": start.isoformat() if start else "",
        f"act-{key}-end_date": end.isoformat() if end else "",
        f"act-{key}-hours_per_week": str(hours) if hours is not None else "",
    }


def _itype(code):
    from jobbtorg.interventions.models import InterventionType

    return InterventionType.objects.get(code=code).pk


def _draft(version, goals="Arbete inom vården", rows=None, other=None):
    data = {"goals": goals, "version": str(version), "save": "1"}
    rows = (
        rows
        if rows is not None
        else [
            _row("0", _itype("sfi_studies"), MONDAY, 20, description="SFI kurs C på förmiddagen"),
            _row("1", _itype("language_internship"), MONDAY, 20, description="Praktik på eftermiddagen"),
            _row("n0", None, None, None),
        ]
    )
    for row in rows:
        data.update(row)
    data.update(other or {})
    return data


# Worklist ---------------------------------------------------------------------------------------------


def test_worklist_shows_due_today_and_overdue_with_working_days(client, today, caseworker, coach):
    due_today = _referral(caseworker, datetime.date(2026, 3, 4))  # received: new and due today
    overdue_5 = _referral(caseworker, datetime.date(2026, 2, 25), accepted=True, coach=coach)  # due 4 March
    overdue_2 = _referral(caseworker, datetime.date(2026, 3, 2), accepted=True, coach=coach)  # due 9 March
    approved = _referral(caseworker, datetime.date(2026, 2, 25), accepted=True, coach=coach)
    plan = ActionPlanFactory(referral=approved, status=PlanStatus.APPROVED)
    version = PlanVersion.objects.create(
        plan=plan, number=1, status=VersionStatus.APPROVED, content={"goals": "x"}, proposed_by=coach
    )
    ActionPlan.objects.filter(pk=plan.pk).update(
        current_version=version,
        first_approved_at=timezone.make_aware(datetime.datetime(2026, 3, 3, 10, 0)),
    )
    assert due_today.plan_due_date == TODAY and overdue_5.plan_due_date == datetime.date(2026, 3, 4)

    client.force_login(coach)
    response = client.get(reverse("plans:worklist"))

    assert response.status_code == 200 and '<html lang="en"' in response.text
    sections = response.context["sections"]
    assert [r["referral"] for r in sections["new_referrals"]] == [due_today]
    assert [r["referral"] for r in sections["due_today"]] == [due_today]
    assert [(r["referral"], r["overdue_days"]) for r in sections["overdue"]] == [
        (overdue_5, 5),
        (overdue_2, 2),
    ]
    text = response.text
    assert "Overdue by 5 working days" in text and "Overdue by 2 working days" in text
    assert "Due today" in text
    assert due_today.participant.masked_personal_number in text
    assert due_today.participant.personal_number not in text
    assert reverse("plans:plan", args=[overdue_5.pk]) in text
    assert reverse("referrals:detail", args=[due_today.pk]) in text
    # Deadline card: of three plans past their deadline or approved, one was approved in time.
    assert response.context["deadline"]["total"] == 3 and response.context["deadline"]["in_time"] == 1
    assert "33 %" in text and "1 of 3 plans approved within the deadline" in text
    logged = set(ReadLog.objects.filter(user=coach, view="worklist").values_list("participant_id", flat=True))
    assert logged == {due_today.participant_id, overdue_5.participant_id, overdue_2.participant_id}


def test_worklist_is_for_unit_staff_and_inbox_for_caseworkers(client, caseworker, coach):
    client.force_login(caseworker)
    assert client.get(reverse("plans:worklist")).status_code == 403
    client.force_login(coach)
    assert client.get(reverse("plans:inbox")).status_code == 403
    client.logout()
    response = client.get(reverse("plans:worklist"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_inbox_lists_proposed_plans_and_returned_referrals(client, caseworker):
    plan = ActionPlanFactory(
        proposed=True, referral=_referral(caseworker, timezone.localdate(), accepted=True)
    )
    returned = _referral(caseworker, timezone.localdate(), returned=True)
    other_district = ActionPlanFactory(proposed=True)

    client.force_login(caseworker)
    response = client.get(reverse("plans:inbox"))

    assert response.status_code == 200
    assert response.context["plans_to_decide"] == [plan]
    text = response.text
    assert reverse("plans:plan", args=[plan.referral_id]) in text
    assert plan.participant.full_name in text and plan.participant.masked_personal_number in text
    assert other_district.participant.full_name not in text
    assert "Fel enhet" in text  # the reason the Jobbtorg gave
    logged = set(
        ReadLog.objects.filter(user=caseworker, view="inbox").values_list("participant_id", flat=True)
    )
    assert logged == {plan.participant_id, returned.participant_id}


# Mapping ----------------------------------------------------------------------------------------------


def _mapping_form(version="", **overrides):
    data = {
        "education_level": "none",
        "education_note": "",
        "work_history": "",
        "months_without_work": "",
        "months_on_assistance": "30",
        "wanted_occupations": "5321, 9111",
        "swedish_level": "sfi_a",
        "other_languages": "somaliska, arabiska",
        "driving_licence": "none",
        "obstacles": ["childcare"],
        "obstacles_note": "",
        "work_capacity": "100",
        "needs": "Barnomsorg på eftermiddagar",
        "version": str(version),
    }
    data.update(overrides)
    return data


def test_mapping_save_computes_the_tier_and_shows_each_reason(client, coach, accepted_referral):
    client.force_login(coach)
    url = reverse("plans:mapping", args=[accepted_referral.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="mapping-form"' in page.text
    assert 'hx-post="{}"'.format(reverse("plans:mapping_preview", args=[accepted_referral.pk])) in page.text

    response = client.post(url, _mapping_form(), follow=True)

    assert response.status_code == 200
    mapping = Mapping.objects.get(referral=accepted_referral)
    assert mapping.tier == "C" and mapping.wanted_occupations == ["5321", "9111"]
    assert mapping.months_without_work is None and mapping.other_languages == ["somaliska", "arabiska"]
    text = response.text
    assert "C – far from the labour market" in text
    for reason in mapping.tier_reasons:
        assert reason["text"] in text
    assert "No work experience" in text and "Two years or more on social assistance" in text
    assert ReadLog.objects.filter(
        user=coach, view="mapping", participant_id=accepted_referral.participant_id
    ).exists()


def test_mapping_preview_assesses_without_saving(client, coach, accepted_referral):
    client.force_login(coach)
    response = client.post(
        reverse("plans:mapping_preview", args=[accepted_referral.pk]),
        _mapping_form(
            education_level="university",
            swedish_level="native",
            months_without_work="3",
            months_on_assistance="",
            obstacles=[],
        ),
    )
    assert response.status_code == 200
    assert "A – near the labour market" in response.text and "Preview (not saved)" in response.text
    assert not Mapping.objects.filter(referral=accepted_referral).exists()


def test_mapping_conflict_keeps_the_input_and_writes_nothing(client, coach, unit, accepted_referral):
    MappingFactory(referral=accepted_referral, needs="Original")
    colleague = UserFactory(counsellor=True, unit=unit)
    url = reverse("plans:mapping", args=[accepted_referral.pk])
    client.force_login(colleague)
    assert client.post(url, _mapping_form(version=0, needs="Kollegans text")).status_code == 302

    client.force_login(coach)
    response = client.post(url, _mapping_form(version=0, needs="Min egen text"))

    assert response.status_code == 409
    assert 'role="alert"' in response.text and "Someone else changed this mapping" in response.text
    assert "Min egen text" in response.text  # the coach's input stays in the form
    mapping = Mapping.objects.get(referral=accepted_referral)
    assert mapping.needs == "Kollegans text" and mapping.lock_version == 1


def test_mapping_validation_error_is_shown_at_the_field(client, coach, accepted_referral):
    client.force_login(coach)
    response = client.post(
        reverse("plans:mapping", args=[accepted_referral.pk]), _mapping_form(wanted_occupations="12ab, 5321")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["wanted_occupations"]
    assert 'id="id_wanted_occupations_error"' in response.text and "12ab" in response.text
    assert not Mapping.objects.filter(referral=accepted_referral).exists()


def test_mapping_is_read_only_for_a_caseworker_and_404_outside_scope(
    client, caseworker, other_caseworker, other_unit_coach, accepted_referral
):
    MappingFactory(referral=accepted_referral, needs="Behöver barnomsorg")
    url = reverse("plans:mapping", args=[accepted_referral.pk])
    client.force_login(caseworker)
    response = client.get(url)
    assert response.status_code == 200 and "Behöver barnomsorg" in response.text
    assert 'id="mapping-form"' not in response.text
    assert client.post(url, _mapping_form(version=0)).status_code == 403
    for outsider in (other_caseworker, other_unit_coach):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, _mapping_form(version=0)).status_code == 404


# Action plan ------------------------------------------------------------------------------------------


def test_coach_drafts_and_proposes_and_caseworker_approves(client, coach, caseworker, accepted_referral):
    url = reverse("plans:plan", args=[accepted_referral.pk])
    client.force_login(coach)
    page = client.get(url)
    assert page.status_code == 200
    plan = ActionPlan.objects.get(referral=accepted_referral)
    assert plan.status == PlanStatus.DRAFT
    assert page.text.count('class="activity-row"') == 2  # two empty rows to fill in without JavaScript
    assert "<legend>Activity 1</legend>" in page.text

    response = client.post(url, _draft(plan.lock_version))
    assert response.status_code == 302, response.context and response.context["summary"]
    plan.refresh_from_db()
    assert plan.goals == "Arbete inom vården"
    assert [(a.intervention_type.code, a.hours_per_week) for a in plan.activities.all()] == [
        ("sfi_studies", 20),
        ("language_internship", 20),
    ]

    page = client.get(url)
    assert (
        "Planned hours this week: 40 of 40 for 100 % work capacity" in page.text and "full time" in page.text
    )
    response = client.post(
        reverse("plans:plan_propose", args=[accepted_referral.pk]), {"version": plan.lock_version}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED and plan.versions.get().number == 1

    client.force_login(caseworker)
    page = client.get(url)
    assert "Proposed version 1" in page.text and "SFI kurs C på förmiddagen" in page.text
    assert 'value="approve"' in page.text
    response = client.post(
        reverse("plans:plan_decide", args=[accepted_referral.pk]),
        {"action": "approve", "version": plan.lock_version, "comment": ""},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.current_version.number == 1
    page = client.get(url)
    assert "Approved within the deadline" in page.text
    assert ReadLog.objects.filter(user=caseworker, view="plan", participant_id=plan.participant_id).exists()


def _proposed(client, coach, referral):
    client.force_login(coach)
    client.get(reverse("plans:plan", args=[referral.pk]))
    plan = ActionPlan.objects.get(referral=referral)
    assert (
        client.post(reverse("plans:plan", args=[referral.pk]), _draft(plan.lock_version)).status_code == 302
    )
    plan.refresh_from_db()
    client.post(reverse("plans:plan_propose", args=[referral.pk]), {"version": plan.lock_version})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED
    return plan


def test_second_approval_with_the_old_version_gets_the_conflict_message(
    client, coach, caseworker, district, accepted_referral
):
    plan = _proposed(client, coach, accepted_referral)
    seen = plan.lock_version
    decide = reverse("plans:plan_decide", args=[accepted_referral.pk])
    client.force_login(caseworker)
    assert client.post(decide, {"action": "approve", "version": seen}).status_code == 302

    colleague = UserFactory(caseworker=True, district=district)
    client.force_login(colleague)
    response = client.post(decide, {"action": "return", "version": seen, "comment": "Lägg till SFI-plan"})

    assert response.status_code == 409
    assert 'role="alert"' in response.text and "Someone else changed this action plan" in response.text
    assert "Lägg till SFI-plan" in response.text  # their comment stays in the form
    assert list(plan.versions.values_list("status", flat=True)) == [VersionStatus.APPROVED]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_return_needs_a_comment(client, coach, caseworker, accepted_referral):
    plan = _proposed(client, coach, accepted_referral)
    client.force_login(caseworker)
    response = client.post(
        reverse("plans:plan_decide", args=[accepted_referral.pk]),
        {"action": "return", "version": plan.lock_version, "comment": " "},
    )
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.text and "Say what should change" in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED


def test_two_coaches_editing_at_once_the_second_keeps_their_input(client, coach, unit, accepted_referral):
    url = reverse("plans:plan", args=[accepted_referral.pk])
    client.force_login(coach)
    client.get(url)
    plan = ActionPlan.objects.get(referral=accepted_referral)
    seen = plan.lock_version
    colleague = UserFactory(counsellor=True, unit=unit)
    other = _english_client()
    other.force_login(colleague)
    assert other.post(url, _draft(seen, goals="Kollegans mål")).status_code == 302

    response = client.post(url, _draft(seen, goals="Mina mål"))

    assert response.status_code == 409
    assert 'role="alert"' in response.text and "Someone else changed this action plan" in response.text
    assert "Mina mål" in response.text and "SFI kurs C på förmiddagen" in response.text
    plan.refresh_from_db()
    assert plan.goals == "Kollegans mål"


def test_row_errors_are_shown_next_to_the_row(client, coach, accepted_referral):
    url = reverse("plans:plan", args=[accepted_referral.pk])
    client.force_login(coach)
    client.get(url)
    plan = ActionPlan.objects.get(referral=accepted_referral)
    rows = [_row("0", _itype("sfi_studies"), MONDAY, 20), _row("1", None, MONDAY, 50)]
    response = client.post(url, _draft(plan.lock_version, rows=rows))
    assert response.status_code == 200
    assert 'id="id_act-1-hours_per_week_error"' in response.text
    assert 'id="id_act-1-intervention_type_error"' in response.text
    assert 'href="#id_act-1-hours_per_week"' in response.text  # listed at the top, linked to the field
    assert not plan.activities.exists()


def test_service_errors_are_mapped_to_rows_skipping_blank_ones(db):
    data = _draft(
        0,
        rows=[
            _row("0", _itype("sfi_studies"), MONDAY, 20),
            _row("1", None, None, None),
            _row("x2", _itype("sfi_studies"), MONDAY, 10),
        ],
    )
    editor = PlanEditor(data=data)
    assert editor.is_valid()
    assert len(editor.service_values()["activities"]) == 2
    add_service_errors(
        editor.form,
        ValidationError(
            {
                "activities[1].hours_per_week": ["Too many"],
                "activities[0]": ["Bad row"],
                "goals": ["No goal"],
                "activities": ["Plan at least one"],
            }
        ),
        rows=editor.service_rows(),
        unplaced=editor.errors,
    )
    assert editor.activities[2].errors["hours_per_week"] == ["Too many"]
    assert editor.activities[0].non_field_errors() == ["Bad row"]
    assert editor.form.errors["goals"] == ["No goal"] and editor.errors == ["Plan at least one"]


def test_rows_can_be_added_and_removed_without_javascript(client, coach, accepted_referral):
    url = reverse("plans:plan", args=[accepted_referral.pk])
    client.force_login(coach)
    client.get(url)
    plan = ActionPlan.objects.get(referral=accepted_referral)
    data = _draft(plan.lock_version)
    data.pop("save")
    response = client.post(url, {**data, "add_row": "act"})
    assert response.status_code == 200 and len(response.context["editor"].activities) == 4
    response = client.post(url, {**data, "remove_row": "act-0"})
    assert [row.prefix for row in response.context["editor"].activities] == ["act-1", "act-n0"]
    assert not plan.activities.exists()  # nothing saved


def test_activity_row_fragment(client, coach, matcher, accepted_referral):
    client.force_login(coach)
    response = client.get(reverse("plans:activity_row", args=[accepted_referral.pk]), {"number": "3"})
    assert response.status_code == 200
    assert "<legend>Activity 3</legend>" in response.text and "-intervention_type" in response.text
    assert "autofocus" in response.text
    response = client.get(reverse("plans:other_plan_row", args=[accepted_referral.pk]), {"number": "1"})
    assert "<legend>Other plan 1</legend>" in response.text
    client.force_login(matcher)
    assert client.get(reverse("plans:activity_row", args=[accepted_referral.pk])).status_code == 403


def test_week_load_fragment_for_75_percent_capacity(client, coach, accepted_referral):
    MappingFactory(referral=accepted_referral, work_capacity=75)
    client.force_login(coach)
    url = reverse("plans:week_load", args=[accepted_referral.pk])
    sfi = _row("0", _itype("sfi_studies"), MONDAY, 20)

    response = client.post(url, _draft(0, rows=[sfi]))
    assert response.status_code == 200
    assert "Planned hours this week: 20 of 30 for 75 % work capacity" in response.text
    assert "10 hours missing for a full day at 75 %" in response.text

    later = _row("1", _itype("language_internship"), MONDAY + datetime.timedelta(days=7), 10)
    response = client.post(url, _draft(0, rows=[sfi, later]))
    assert (
        "10 hours missing for a full day at 75 %" in response.text
    )  # the later row is not in the first week

    internship = _row("1", _itype("language_internship"), MONDAY + datetime.timedelta(days=2), 10)
    response = client.post(url, _draft(0, rows=[sfi, internship]))
    assert "Planned hours this week: 30 of 30 for 75 % work capacity" in response.text
    assert "full time" in response.text and "missing" not in response.text


def test_plan_is_404_outside_scope(client, coach, other_caseworker, other_unit_coach, accepted_referral):
    ActionPlanFactory(proposed=True, referral=accepted_referral)
    urls = [
        reverse("plans:plan", args=[accepted_referral.pk]),
        reverse("plans:version", args=[accepted_referral.pk, 1]),
    ]
    for outsider in (other_caseworker, other_unit_coach):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404
        assert (
            client.post(
                reverse("plans:plan_decide", args=[accepted_referral.pk]), {"action": "approve", "version": 0}
            ).status_code
            == 404
        )


def test_matcher_can_view_but_not_edit(client, coach, matcher, accepted_referral):
    plan = ActionPlanFactory(referral=accepted_referral)
    url = reverse("plans:plan", args=[accepted_referral.pk])
    client.force_login(matcher)
    response = client.get(url)
    assert response.status_code == 200
    assert "Working draft" in response.text and 'id="plan-form"' not in response.text
    assert client.post(url, _draft(plan.lock_version)).status_code == 403
    assert (
        client.post(
            reverse("plans:plan_propose", args=[accepted_referral.pk]), {"version": plan.lock_version}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("plans:plan_decide", args=[accepted_referral.pk]),
            {"action": "approve", "version": plan.lock_version},
        ).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.lock_version == 0 and plan.status == PlanStatus.DRAFT


def test_coach_cannot_decide(client, coach, accepted_referral):
    plan = _proposed(client, coach, accepted_referral)
    response = client.post(
        reverse("plans:plan_decide", args=[accepted_referral.pk]),
        {"action": "approve", "version": plan.lock_version},
    )
    assert response.status_code == 403


def test_proposing_an_empty_plan_explains_why(client, coach, accepted_referral):
    client.force_login(coach)
    client.get(reverse("plans:plan", args=[accepted_referral.pk]))
    plan = ActionPlan.objects.get(referral=accepted_referral)
    response = client.post(
        reverse("plans:plan_propose", args=[accepted_referral.pk]), {"version": plan.lock_version}
    )
    assert response.status_code == 400
    assert "Plan at least one activity before proposing the plan." in response.text
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.versions.exists()


def test_received_referral_has_no_plan_yet(client, coach, caseworker):
    referral = _referral(caseworker, timezone.localdate())
    client.force_login(coach)
    response = client.get(reverse("plans:plan", args=[referral.pk]))
    assert response.status_code == 200 and "No action plan has been started yet." in response.text
    assert not ActionPlan.objects.filter(referral=referral).exists()


def test_version_page_shows_the_frozen_snapshot(client, coach, caseworker, accepted_referral):
    plan = _proposed(client, coach, accepted_referral)
    client.force_login(caseworker)
    client.post(
        reverse("plans:plan_decide", args=[accepted_referral.pk]),
        {"action": "approve", "version": plan.lock_version},
    )
    plan.refresh_from_db()
    client.force_login(coach)
    rows = [_row("0", _itype("work_training"), MONDAY, 30, description="Arbetsträning i köket")]
    assert (
        client.post(
            reverse("plans:plan", args=[accepted_referral.pk]),
            _draft(plan.lock_version, goals="Ny inriktning", rows=rows),
        ).status_code
        == 302
    )

    page = client.get(reverse("plans:plan", args=[accepted_referral.pk]))
    assert reverse("plans:version", args=[accepted_referral.pk, 1]) in page.text and "In force" in page.text
    client.force_login(caseworker)
    response = client.get(reverse("plans:version", args=[accepted_referral.pk, 1]))

    assert response.status_code == 200
    text = response.text
    assert "Arbete inom vården" in text and "SFI kurs C på förmiddagen" in text and "SFI-studier" in text
    assert "Ny inriktning" not in text and "Arbetsträning i köket" not in text
    assert "Planned hours this week: 40 of 40 for 100 % work capacity" in text
    assert ReadLog.objects.filter(user=caseworker, view="plan_version").exists()
    assert client.get(reverse("plans:version", args=[accepted_referral.pk, 9])).status_code == 404


def test_the_inbox_pages_and_sorts_the_plans_to_decide_in_the_url(client, caseworker):
    """Issue 16: the plans waiting for the caseworker are paged (25 a page) and sorted in the URL."""
    today = timezone.localdate()
    for days in range(27):
        ActionPlanFactory(
            proposed=True,
            referral=_referral(
                caseworker,
                today - datetime.timedelta(days=days),
                accepted=True,
                participant__last_name=f"Plan{days:02d}",
            ),
        )
    client.force_login(caseworker)
    url = reverse("plans:inbox")
    first = client.get(url)
    assert len(first.context["plans_to_decide"]) == 25
    assert first.context["listing"].page.paginator.count == 27
    assert 'aria-sort="ascending"' in first.text and 'href="?page=2"' in first.text
    dues = [plan.referral.plan_due_date for plan in first.context["plans_to_decide"]]
    assert dues == sorted(dues)  # the default: the earliest due first
    second = client.get(url, {"page": 2})
    assert len(second.context["plans_to_decide"]) == 2
    assert not {p.pk for p in first.context["plans_to_decide"]} & {
        p.pk for p in second.context["plans_to_decide"]
    }
    newest = client.get(url, {"sort": "-due"})
    dues = [plan.referral.plan_due_date for plan in newest.context["plans_to_decide"]]
    assert dues == sorted(dues, reverse=True) and 'href="?sort=-due&amp;page=2"' in newest.text
    # a column that is not whitelisted is the default order, never an error
    other = client.get(url, {"sort": "participant__personal_number"})
    assert other.status_code == 200 and 'aria-sort="ascending"' in other.text
