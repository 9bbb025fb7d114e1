"""Retention (gallring): which records are thinned, which are kept for the archive, and the removal itself.

Rules (settings.JOBBTORG_RETENTION, docs/security.md):
- `closed_case_years`: a person's whole case file — the person, their referrals and everything that hangs off
  them (mapping, plans, bookings, attendance, notices, meetings, choices, follow-ups, matches, consents, the
  change history and their own login) — is removed this many years after the last entry: no open referral,
  and the latest end of a referral and the latest change recorded on the person are older than the cutoff
  (SoL 12 kap. 2 §: five years after the last entry in the file);
- kept for the archive instead: people born on `archive_birth_days` of a month (the research sample of
  SoL 12 kap. 2 § second paragraph), or everyone when `archive_all`; they are exported (`--archive-dir`)
  and left in place for the archivist to transfer to the e-archive;
- kept because the law on accounting asks for it: a person referenced by payment records (the payments app)
  stays until those are thinned by their own rule;
- every relation that points at a record of the file is found (`relations_to`, hidden ones declared with
  related_name="+" included) and decided once (`relation_action`): keep the person (payment records),
  remove with the file, clear the reference (SET_NULL: the row stays), or leave (the deletion log). The dry
  run and the real run read the same plan, so what the dry run reports is what happens;
- the files held by removed rows (documents on the case, in the storage backend) are deleted from the storage
  after the removal commits;
- `read_log_years`: read log entries older than this; `login_attempt_days`: failed-login records (axes).
"""

import datetime
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.referrals.constants import OPEN_STATUSES

from .models import DeletionLog

# Apps whose records are kept by a rule of their own (accounting): a case they reference is not thinned.
KEEP_APPS = frozenset({"payments"})
# Models never removed with a case even if they point at it (organisation, audit of others).
NEVER_WITH_CASE = frozenset({"privacy.deletionlog"})

# What retention does with the rows of a relation that point at a record being removed.
KEEP = "keep"  # the case is kept (the rows are records with their own retention: accounting)
THIN = "thin"  # the rows go with the case file (and, recursively, what points at them)
DETACH = "detach"  # the rows stay and their reference is cleared (on_delete=SET_NULL)
LEAVE = "leave"  # never touched (NEVER_WITH_CASE)


def relations_to(model) -> list[tuple]:
    """Every relation pointing at `model`, with what retention does about it: (relation, action).

    Read from `_meta.get_fields(include_hidden=True)`, because `_meta.related_objects` leaves out the
    relations declared with related_name="+" (payment lines, attendance events, recruitment attendees …); a
    relation missed here leaves a foreign key pointing at a removed row, and the real run fails at commit
    after the dry run said all was well. Many-to-many relations are covered by their through model's
    foreign keys, which are relations of their own."""
    return [
        (field, relation_action(field))
        for field in model._meta.get_fields(include_hidden=True)
        if field.is_relation and field.auto_created and not field.concrete and not field.many_to_many
    ]


def relation_action(relation) -> str:
    """The one decision per relation: KEEP, THIN, DETACH or LEAVE (see the constants)."""
    related = relation.related_model._meta
    if related.label_lower in NEVER_WITH_CASE:
        return LEAVE
    if related.app_label in KEEP_APPS:
        return KEEP
    if relation.on_delete is models.SET_NULL:
        return DETACH
    return THIN


@dataclass
class RetentionPlan:
    now: datetime.datetime
    case_cutoff: datetime.datetime
    read_log_cutoff: datetime.datetime
    login_attempt_cutoff: datetime.datetime
    people: list = field(default_factory=list)  # participant pks to remove
    archived: list = field(default_factory=list)  # participant pks kept for the archive
    kept_for_accounts: list = field(default_factory=list)  # participant pks kept (payment records)
    records: dict = field(default_factory=dict)  # model label -> set of pks
    detach: dict = field(default_factory=dict)  # (model label, field name) -> pks whose reference is cleared
    read_logs: int = 0
    login_attempts: int = 0

    def counts(self) -> dict[str, int]:
        rows = {label: len(pks) for label, pks in sorted(self.records.items()) if pks}
        rows["audit.readlog (older than the read-log rule)"] = self.read_logs
        if self.login_attempts:
            rows["axes.accessattempt"] = self.login_attempts
        return rows

    def detached_counts(self) -> dict[str, int]:
        return {f"{label}.{name}": len(pks) for (label, name), pks in sorted(self.detach.items()) if pks}


def _rules() -> dict:
    return settings.JOBBTORG_RETENTION


def _years_before(now: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _must_archive(participant) -> bool:
    rules = _rules()
    return rules.get("archive_all", False) or participant.birth_date.day in rules.get(
        "archive_birth_days", ()
    )


def _due_people(cutoff: datetime.datetime):
    """People with no open referral whose last entry (end of a referral, change on the record) is older."""
    Participant = apps.get_model("participants", "Participant")
    Referral = apps.get_model("referrals", "Referral")
    open_referral = Referral.objects.filter(participant=models.OuterRef("pk"), status__in=OPEN_STATUSES)
    last_referral = (
        Referral.objects.filter(participant=models.OuterRef("pk"))
        .values("participant")
        .annotate(last=Max(Coalesce("closed_at", "updated_at")))
        .values("last")[:1]
    )
    last_change = (
        ChangeLog.objects.filter(participant_id=models.OuterRef("pk"))
        .values("participant_id")
        .annotate(last=Max("at"))
        .values("last")[:1]
    )
    return (
        Participant.objects.exclude(models.Exists(open_referral))
        .annotate(last_referral=models.Subquery(last_referral), last_change=models.Subquery(last_change))
        .filter(created_at__lt=cutoff)
        .filter(models.Q(last_referral__isnull=True) | models.Q(last_referral__lt=cutoff))
        .filter(models.Q(last_change__isnull=True) | models.Q(last_change__lt=cutoff))
    )


def _collect(model, pks: set, records: dict[str, set], detach: dict | None = None) -> bool:
    """Add every row that hangs off `pks` of `model` (every relation, recursively) to `records`, and the
    rows whose reference is to be cleared to `detach`. Returns False when a KEEP relation has rows (the case
    must then be kept)."""
    detach = defaultdict(set) if detach is None else detach
    label = model._meta.label_lower
    new = set(pks) - records[label]
    if not new:
        return True
    records[label] |= new
    for relation, action in relations_to(model):
        if action == LEAVE:
            continue
        related = relation.related_model
        rows = set(
            related._base_manager.filter(**{f"{relation.field.name}__in": list(new)}).values_list(
                "pk", flat=True
            )
        )
        if not rows:
            continue
        if action == KEEP:
            return False
        if action == DETACH:
            detach[(related._meta.label_lower, relation.field.name)] |= rows
        elif not _collect(related, rows, records, detach):
            return False
    return True


def retention_plan(*, now: datetime.datetime | None = None) -> RetentionPlan:
    """What a run would remove and keep, without changing anything."""
    rules = _rules()
    now = now or timezone.now()
    plan = RetentionPlan(
        now=now,
        case_cutoff=_years_before(now, rules["closed_case_years"]),
        read_log_cutoff=_years_before(now, rules["read_log_years"]),
        login_attempt_cutoff=now - datetime.timedelta(days=rules.get("login_attempt_days", 90)),
    )
    Participant = apps.get_model("participants", "Participant")
    User = apps.get_model("accounts", "User")
    records: dict[str, set] = defaultdict(set)
    detach: dict[tuple[str, str], set] = defaultdict(set)
    for person in _due_people(plan.case_cutoff).iterator():
        if _must_archive(person):
            plan.archived.append(person.pk)
            continue
        trial: dict[str, set] = defaultdict(set, {k: set(v) for k, v in records.items()})
        trial_detach: dict[tuple[str, str], set] = defaultdict(set, {k: set(v) for k, v in detach.items()})
        if not _collect(Participant, {person.pk}, trial, trial_detach):
            plan.kept_for_accounts.append(person.pk)
            continue
        records, detach = trial, trial_detach
        plan.people.append(person.pk)
    # The person's case history in the change log goes with the file (rows name the person by id only).
    if plan.people:
        history = ChangeLog.objects.filter(participant_id__in=plan.people).values_list("pk", flat=True)
        records["audit.changelog"] |= set(history)
    user_label = User._meta.label_lower
    if records.get(user_label):  # a person's own login: their own reads go with it
        own_reads = ReadLog.objects.filter(user_id__in=records[user_label]).values_list("pk", flat=True)
        records["audit.readlog"] |= set(own_reads)
    plan.records = dict(records)
    # rows removed anyway need no cleared reference
    plan.detach = {key: pks - records.get(key[0], set()) for key, pks in detach.items()}
    plan.read_logs = (
        ReadLog.objects.filter(at__lt=plan.read_log_cutoff)
        .exclude(pk__in=records.get("audit.readlog", set()))
        .count()
    )
    if apps.is_installed("axes"):
        AccessAttempt = apps.get_model("axes", "AccessAttempt")
        plan.login_attempts = AccessAttempt.objects.filter(attempt_time__lt=plan.login_attempt_cutoff).count()
    return plan


def archive_export(*, plan: RetentionPlan, directory: Path) -> int:
    """One JSON file per archived person (the person, referrals and what hangs off them) for the e-archive."""
    Participant = apps.get_model("participants", "Participant")
    directory.mkdir(parents=True, exist_ok=True)
    for pk in plan.archived:
        records: dict[str, set] = defaultdict(set)
        _collect(Participant, {pk}, records)
        objects = []
        for label, pks in sorted(records.items()):
            model = apps.get_model(label)
            objects.extend(serializers.serialize("python", model._base_manager.filter(pk__in=pks)))
        history = ChangeLog.objects.filter(participant_id=pk)
        objects.extend(serializers.serialize("python", history))
        path = directory / f"{pk}.json"
        path.write_text(json.dumps(objects, default=str, ensure_ascii=False, indent=1), encoding="utf-8")
        path.chmod(0o600)
    return len(plan.archived)


@transaction.atomic
def retention_apply(*, plan: RetentionPlan, ran_by: str) -> uuid.UUID:
    """Remove what the plan lists, in one transaction, and write the metadata-only deletion log.

    Rows are removed with raw deletes (the append-only audit models refuse `delete()` one by one, and the
    PROTECT foreign keys between the removed rows are checked at commit, when all of them are gone)."""
    run_id = uuid.uuid4()
    log = []
    ReadLog_label = ReadLog._meta.label_lower
    for (label, name), pks in plan.detach.items():
        if pks:
            apps.get_model(label)._base_manager.filter(pk__in=list(pks)).update(**{name: None})
    files = _stored_files(plan.records)
    for label, pks in plan.records.items():
        if not pks:
            continue
        model = apps.get_model(label)
        _raw_delete(model._base_manager.filter(pk__in=list(pks)))
        log.append(
            DeletionLog(
                run_id=run_id,
                rule="closed_case",
                record_type=label,
                count=len(pks),
                cutoff=plan.case_cutoff,
                ran_by=ran_by,
            )
        )
    removed_reads = _raw_delete(
        ReadLog.objects.filter(at__lt=plan.read_log_cutoff).exclude(
            pk__in=plan.records.get(ReadLog_label, [])
        )
    )
    if removed_reads:
        log.append(
            DeletionLog(
                run_id=run_id,
                rule="read_log",
                record_type=ReadLog_label,
                count=removed_reads,
                cutoff=plan.read_log_cutoff,
                ran_by=ran_by,
            )
        )
    if apps.is_installed("axes"):
        AccessAttempt = apps.get_model("axes", "AccessAttempt")
        removed = _raw_delete(AccessAttempt.objects.filter(attempt_time__lt=plan.login_attempt_cutoff))
        if removed:
            log.append(
                DeletionLog(
                    run_id=run_id,
                    rule="login_attempt",
                    record_type="axes.accessattempt",
                    count=removed,
                    cutoff=plan.login_attempt_cutoff,
                    ran_by=ran_by,
                )
            )
    DeletionLog.objects.bulk_create(log)
    # The files of removed rows (documents on the case) leave the storage once the rows are gone for good.
    transaction.on_commit(lambda: _delete_files(files))
    return run_id


def _stored_files(records: dict[str, set]) -> list[tuple]:
    """(storage, name) of every file a row to be removed holds in a FileField (documents, job files)."""
    files = []
    for label, pks in records.items():
        model = apps.get_model(label)
        for file_field in (f for f in model._meta.concrete_fields if isinstance(f, models.FileField)):
            names = model._base_manager.filter(pk__in=list(pks)).values_list(file_field.attname, flat=True)
            files.extend((file_field.storage, name) for name in names if name)
    return files


def _delete_files(files: list[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


def _raw_delete(queryset) -> int:
    """Delete rows without Django's collector (no cascades: the plan already lists every row)."""
    queryset = queryset._chain()
    # Many-to-many rows (e.g. a login's groups) are removed with their owner.
    for m2m in queryset.model._meta.local_many_to_many:
        through = m2m.remote_field.through
        through._base_manager.filter(**{f"{m2m.m2m_field_name()}__in": queryset.values("pk")})._raw_delete(
            through._base_manager.db
        )
    return queryset._raw_delete(queryset.db)
