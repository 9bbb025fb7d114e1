"""Every accepted referral gets a responsible coach: the coach who accepted it, or else the coach who proposed
its first plan version (both of the receiving unit). Every referral with a coach gets the first row of its
coach history ("recorded"), dated at acceptance, so caseloads over time can be read from the history."""

from django.db import migrations

JOB_COACH = "job_coach"  # accounts.constants.Role.JOB_COACH, frozen as the migration was written


def _is_unit_coach(user, referral) -> bool:
    return user is not None and user.role == JOB_COACH and user.unit_id == referral.unit_id


def forwards(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    ReferralEvent = apps.get_model("referrals", "ReferralEvent")
    CoachChange = apps.get_model("referrals", "CoachChange")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    without = Referral.objects.filter(coach__isnull=True, accepted_at__isnull=False)
    for referral in without.iterator():
        event = (
            ReferralEvent.objects.filter(referral_id=referral.pk, to_status="accepted")
            .select_related("by")
            .order_by("-at", "-id")
            .first()
        )
        coach = event.by if event is not None and _is_unit_coach(event.by, referral) else None
        if coach is None:
            version = (
                PlanVersion.objects.filter(plan__referral_id=referral.pk)
                .select_related("proposed_by")
                .order_by("number")
                .first()
            )
            if version is not None and _is_unit_coach(version.proposed_by, referral):
                coach = version.proposed_by
        if coach is not None:
            Referral.objects.filter(pk=referral.pk).update(coach=coach)
    with_history = CoachChange.objects.values("referral_id")
    rows = [
        CoachChange(
            referral_id=pk,
            kind="recorded",
            from_coach=None,
            to_coach_id=coach_id,
            by=None,
            at=accepted_at or created_at,
        )
        for pk, coach_id, accepted_at, created_at in Referral.objects.filter(coach__isnull=False)
        .exclude(pk__in=with_history)
        .values_list("pk", "coach_id", "accepted_at", "created_at")
        .iterator()
    ]
    CoachChange.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_responsible_coach"),
        ("plans", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
