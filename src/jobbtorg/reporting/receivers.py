"""Keep the key-indicator rollups from going silently stale: every committed write that feeds them marks the
municipality's figures dirty (services.indicators_mark_dirty: one UPDATE that usually changes nothing, run on
commit, never inside the writer's transaction). The dashboard, `refresh_indicators --dirty` and the nightly
rebuild take it from there (docs/indicators.md, "Freshness").

What feeds the rollups: referrals, mappings, action plans (decisions), bookings and offerings, attendance
reports,
exits, assistance months and assistance imports; and, for writes made with queryset updates that send no
`post_save` (a cancelled booking, a place given from the waiting list), the audit entry every such service
writes (`audit.services.change_record`)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .services import indicators_mark_dirty

# Models whose rows carry the participant (the municipality is found from it).
BY_PARTICIPANT = (
    "referrals.Referral",
    "plans.Mapping",
    "plans.ActionPlan",
    "interventions.Booking",
    "attendance.AttendanceReport",
    "followup.Exit",
    "followup.AssistanceMonth",
)
# Models that carry the municipality themselves.
BY_MUNICIPALITY = ("followup.AssistanceImport", "interventions.Offering")
# Audit entries about these objects stand for writes that may bypass post_save.
AUDITED = {label.lower() for label in BY_PARTICIPANT + BY_MUNICIPALITY}


def _on_commit(**kwargs) -> None:
    transaction.on_commit(partial(indicators_mark_dirty, **kwargs))


def _by_participant(sender, instance, **kwargs):
    _on_commit(participant_id=instance.participant_id)


def _by_municipality(sender, instance, **kwargs):
    _on_commit(municipality_id=instance.municipality_id)


def _participant(sender, instance, **kwargs):
    _on_commit(municipality_id=instance.municipality_id)


def _audited(sender, instance, created, **kwargs):
    if not created or instance.object_type not in AUDITED:
        return
    if instance.participant_id is not None:
        _on_commit(participant_id=instance.participant_id)
    elif instance.actor_id is not None:
        _on_commit(municipality_id=getattr(instance.actor, "municipality_id", None))


def connect() -> None:
    from django.apps import apps

    for label in BY_PARTICIPANT:
        model = apps.get_model(label)
        post_save.connect(_by_participant, sender=model, dispatch_uid=f"reporting_dirty_save_{label}")
        post_delete.connect(_by_participant, sender=model, dispatch_uid=f"reporting_dirty_delete_{label}")
    for label in BY_MUNICIPALITY:
        model = apps.get_model(label)
        post_save.connect(_by_municipality, sender=model, dispatch_uid=f"reporting_dirty_save_{label}")
        post_delete.connect(_by_municipality, sender=model, dispatch_uid=f"reporting_dirty_delete_{label}")
    post_save.connect(
        _participant, sender=apps.get_model("participants.Participant"), dispatch_uid="reporting_dirty_person"
    )
    post_save.connect(
        _audited, sender=apps.get_model("audit.ChangeLog"), dispatch_uid="reporting_dirty_audit"
    )
