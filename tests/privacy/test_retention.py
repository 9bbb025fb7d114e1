"""Retention (gallring): dry run by default, a report per record type, the real run removes the whole case
file, keeps the archive sample and what accounting needs, and leaves a metadata-only deletion log."""

import datetime as dt
import itertools
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.audit.services import read_record
from jobbtorg.participants.models import Consent, Participant
from jobbtorg.participants.services import consent_record
from jobbtorg.plans.models import ActionPlan
from jobbtorg.privacy import retention
from jobbtorg.privacy.models import DeletionLog
from jobbtorg.privacy.retention import retention_apply, retention_plan
from jobbtorg.referrals.models import Referral, ReferralEvent
from jobbtorg.utils import personal_numbers

from ..factories import ActionPlanFactory, MappingFactory, ParticipantFactory

_serials = itertools.count(301)
LONG_AGO = timezone.now() - dt.timedelta(days=6 * 366)


def _old_closed_case(district, caseworker, *, birth_day: int = 3, last_name="Gammal"):
    person = ParticipantFactory(
        district=district,
        last_name=last_name,
        personal_number=personal_numbers.make(dt.date(1980, 4, birth_day), next(_serials)),
    )
    plan = ActionPlanFactory(
        referral__participant=person, referral__district=district, referral__caseworker=caseworker
    )
    MappingFactory(referral=plan.referral, participant=person)
    consent_record(participant=person, status="given", by=caseworker)
    read_record(user=caseworker, participant=person, view="test")
    referral = plan.referral
    Referral.objects.filter(pk=referral.pk).update(
        status="closed", close_reason="work", closed_at=LONG_AGO, updated_at=LONG_AGO
    )
    Participant.objects.filter(pk=person.pk).update(created_at=LONG_AGO)
    ChangeLog.objects.filter(participant_id=person.pk).update(at=LONG_AGO)
    ReadLog.objects.filter(participant_id=person.pk).update(at=LONG_AGO)
    return person, referral


@pytest.fixture
def cases(caseworker, accepted_referral):
    due, due_referral = _old_closed_case(caseworker.district, caseworker, last_name="Gallras")
    archived, _ = _old_closed_case(caseworker.district, caseworker, birth_day=15, last_name="Arkiveras")
    recent, recent_referral = _old_closed_case(caseworker.district, caseworker, last_name="Nyligen")
    Referral.objects.filter(pk=recent_referral.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    return {
        "due": due,
        "due_referral": due_referral,
        "archived": archived,
        "recent": recent,
        "open": accepted_referral.participant,
    }


def test_the_dry_run_reports_per_type_and_removes_nothing(cases):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert "DRY RUN" in text and "1 people" in text
    assert "participants.participant: 1" in text and "referrals.referral: 1" in text
    assert "plans.actionplan: 1" in text and "plans.mapping: 1" in text
    assert "Kept for the archive (born on an archive day): 1 people" in text
    assert Participant.objects.filter(pk=cases["due"].pk).exists()
    assert not DeletionLog.objects.exists()


def test_the_real_run_removes_the_whole_case_file_and_logs_metadata_only(cases, caseworker):
    due, referral = cases["due"], cases["due_referral"]
    out = StringIO()
    call_command("apply_retention", "--apply", stdout=out)
    assert not Participant.objects.filter(pk=due.pk).exists()
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not ReferralEvent.objects.filter(referral_id=referral.pk).exists()
    assert not ActionPlan.objects.filter(referral_id=referral.pk).exists()
    assert not Consent.objects.filter(participant_id=due.pk).exists()
    assert not ChangeLog.objects.filter(participant_id=due.pk).exists()
    assert not ReadLog.objects.filter(participant_id=due.pk).exists()  # older than the read-log rule
    # kept: the archive sample, the recent case, the open case, and the staff who worked on them
    for key in ("archived", "recent", "open"):
        assert Participant.objects.filter(pk=cases[key].pk).exists(), key
    assert type(caseworker).objects.filter(pk=caseworker.pk).exists()
    # the log says what and how many, never who
    entries = DeletionLog.objects.all()
    assert {e.record_type for e in entries} >= {
        "participants.participant",
        "referrals.referral",
        "audit.readlog",
    }
    assert DeletionLog.objects.get(record_type="participants.participant").count == 1
    logged = " ".join(str(value) for e in entries for value in e.__dict__.values())
    assert due.last_name not in logged and due.personal_number not in logged and str(due.pk) not in logged
    # a second run finds nothing more of that case
    assert retention_plan().people == []


def test_a_person_with_a_newer_entry_is_kept(cases, caseworker):
    # A change recorded on the person after the case closed (e.g. a follow-up) moves the last entry.
    consent_record(participant=cases["due"], status="withdrawn", by=caseworker)
    assert cases["due"].pk not in retention_plan().people


def test_payment_records_keep_the_case(cases, monkeypatch):
    from jobbtorg.privacy import retention

    monkeypatch.setattr(retention, "KEEP_APPS", frozenset({"plans"}))  # stand-in for payments' rows
    plan = retention_plan()
    assert cases["due"].pk in plan.kept_for_accounts and plan.people == []


def test_the_archive_sample_is_exported(cases, tmp_path):
    out = StringIO()
    call_command("apply_retention", "--archive-dir", str(tmp_path), stdout=out)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"{cases['archived'].pk}.json"]
    content = files[0].read_text()
    assert "Arkiveras" in content and "referrals.referral" in content
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"


def test_old_read_log_entries_are_thinned_on_their_own(coach, accepted_referral):
    old = read_record(user=coach, participant=accepted_referral.participant, view="old")
    new = read_record(user=coach, participant=accepted_referral.participant, view="new")
    ReadLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=3 * 366))
    plan = retention_plan()
    assert plan.read_logs == 1 and plan.people == []
    retention_apply(plan=plan, ran_by="test")
    assert list(ReadLog.objects.values_list("pk", flat=True)) == [new.pk]
    assert DeletionLog.objects.get(rule="read_log").count == 1


# --- every relation to a case file is found, hidden ones (related_name="+") included -----------------------


def _payment_line(person, referral):
    """A paid line for the person, as the payments app writes it (its foreign keys use related_name="+")."""
    from jobbtorg.payments import schemes
    from jobbtorg.payments.models import PaymentLine, PaymentRun
    from tests.factories import MunicipalityFactory, ProviderFactory

    municipality = MunicipalityFactory()
    model = schemes.nacka_jobbpeng(municipality=municipality, valid_from=dt.date(2018, 1, 1))
    rule = model.versions.get().rules.get(code="monthly")
    run = PaymentRun.objects.create(municipality=municipality, month=dt.date(2019, 3, 1), status="approved")
    return PaymentLine.objects.create(
        run=run,
        provider=ProviderFactory(municipality=municipality),
        participant=person,
        referral=referral,
        model=model,
        rule=rule,
        rule_code=rule.code,
        kind=rule.kind,
        period="m:2019-03",
        period_month=dt.date(2019, 3, 1),
        amount=Decimal("3686.00"),
    )


def test_payment_lines_keep_the_case_in_the_dry_run_and_the_real_run(cases):
    line = _payment_line(cases["due"], cases["due_referral"])
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Kept for payment records (accounting): 1 people" in out.getvalue()
    assert "cases ended before" in out.getvalue() and ": 0 people" in out.getvalue()

    call_command("apply_retention", "--apply", stdout=StringIO())
    connection.check_constraints()  # what the commit checks: no foreign key left pointing at a removed row
    assert Participant.objects.filter(pk=cases["due"].pk).exists()
    assert Referral.objects.filter(pk=cases["due_referral"].pk).exists()
    assert type(line).objects.filter(pk=line.pk).exists()


def test_a_recruitment_event_attended_goes_with_the_case_file(cases, coach):
    """`RecruitmentAttendee.participant` is declared with related_name="+": the real run removes the row
    with the person instead of failing at commit."""
    from jobbtorg.matching.models import Employer, RecruitmentAttendee, RecruitmentEvent

    employer = Employer.objects.create(
        municipality=coach.unit.municipality, organisation_number="556036-0793", name="Vården AB"
    )
    event = RecruitmentEvent.objects.create(
        employer=employer, unit=coach.unit, title="Träff", date=dt.date(2019, 5, 2)
    )
    attended = RecruitmentAttendee.objects.create(event=event, participant=cases["due"])
    plan = retention_plan()
    assert cases["due"].pk in plan.people
    assert plan.records["matching.recruitmentattendee"] == {attended.pk}

    retention_apply(plan=plan, ran_by="test")
    connection.check_constraints()
    assert not Participant.objects.filter(pk=cases["due"].pk).exists()
    assert not RecruitmentAttendee.objects.filter(pk=attended.pk).exists()
    assert RecruitmentEvent.objects.filter(pk=event.pk).exists()  # the event is the unit's, not the person's


def _foreign_keys_to(target) -> set[tuple[str, str]]:
    """Every concrete foreign key or one-to-one in the project that points at `target`, read from the
    forward side (the declaring model, proxies left out: their table is the concrete model's), so it does
    not depend on how the reverse side is named."""
    return {
        (model._meta.label_lower, field.name)
        for model in django_apps.get_models(include_auto_created=True)
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is target
    }


@pytest.mark.parametrize(
    "label",
    [
        "participants.participant",
        "referrals.referral",
        "accounts.user",
        "attendance.appointment",
        "plans.planactivity",
        "plans.planversion",
        "providers.choicerequest",
    ],
)
def test_retention_sees_every_relation_to_a_case_record(label):
    target = django_apps.get_model(label)
    found = {
        (relation.related_model._meta.label_lower, relation.field.name)
        for relation, _action in retention.relations_to(target)
    }
    assert _foreign_keys_to(target) <= found


@pytest.fixture
def probe_model():
    """A model added at test time with a hidden relation to the person (no table needed: the check reads the
    relations, not rows), registered in an installed app and removed again afterwards."""
    registered = []

    def make(app_label: str, on_delete=models.PROTECT):
        name = f"RetentionProbe{app_label.title()}{on_delete.__name__.title().replace('_', '')}"
        model = type(
            name,
            (models.Model,),
            {
                "__module__": __name__,
                "participant": models.ForeignKey(
                    "participants.Participant", on_delete=on_delete, related_name="+", null=True
                ),
                "Meta": type("Meta", (), {"app_label": app_label}),
            },
        )
        registered.append((app_label, name.lower()))
        return model

    yield make
    for app_label, model_name in registered:
        del django_apps.all_models[app_label][model_name]
    django_apps.clear_cache()


def test_a_new_hidden_relation_to_the_person_is_found_and_decided(probe_model):
    accounting = probe_model("payments")
    case_data = probe_model("matching")
    loose = probe_model("matching", on_delete=models.SET_NULL)
    actions = {relation.related_model: action for relation, action in retention.relations_to(Participant)}
    assert actions.get(accounting) == retention.KEEP  # payment records keep the person
    assert actions.get(case_data) == retention.THIN  # anything else goes with the case file
    assert actions.get(loose) == retention.DETACH  # SET_NULL: the row stays, its reference is cleared
