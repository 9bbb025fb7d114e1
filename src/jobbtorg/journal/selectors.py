"""Reads for the journal and message pages."""

from django.db.models import Prefetch, QuerySet

from jobbtorg.providers.models import Provider
from jobbtorg.referrals.models import Referral

from .models import JournalEntry, Message


def journal_for(*, user, participant) -> list[JournalEntry]:
    """A person's journal as the user may see it: the original entries newest first, each with the
    corrections that point to it (oldest first) on `entry.shown_corrections`. A correction whose original the
    user does not see is listed on its own."""
    visible = JournalEntry.objects.visible_to(user).filter(participant=participant)
    entries = list(
        visible.select_related("author", "author_provider", "corrects").prefetch_related(
            Prefetch(
                "corrections",
                queryset=visible.select_related("author", "author_provider").order_by("written_at"),
                to_attr="shown_corrections",
            )
        )
    )
    shown = {entry.pk for entry in entries}
    return [entry for entry in entries if entry.corrects_id is None or entry.corrects_id not in shown]


def case_referral_for(*, user, participant) -> Referral | None:
    """The case the user writes on: for Jobbtorg staff the open (else latest) referral of their unit; for
    provider staff the referral of their organisation's current assignment; for the person their open case."""
    if user.is_provider_staff:
        referrals = Referral.objects.filter(
            participant=participant,
            provider_assignments__provider_id=user.provider_id,
            provider_assignments__end_date__isnull=True,
        ).with_basis()
    elif user.is_participant:
        referrals = Referral.objects.filter(participant_id=user.participant_id).with_basis().open()
    else:
        referrals = Referral.objects.visible_to(user).filter(participant=participant)
    referrals = list(referrals.order_by("-referral_date", "-created_at").distinct()[:10])
    return next((r for r in referrals if r.is_open), referrals[0] if referrals else None)


def thread(*, user, participant, provider=None) -> QuerySet:
    """One thread on a person's case, oldest first: with the person (`provider` None) or with a provider."""
    messages = Message.objects.visible_to(user).filter(participant=participant)
    messages = messages.filter(provider=provider) if provider else messages.filter(provider__isnull=True)
    return messages.select_related("sender", "provider").order_by("sent_at", "id")


def provider_threads(*, user, participant) -> list[Provider]:
    """The providers with a thread about the person the user may read or start (Jobbtorg staff: those the
    person is currently assigned to, and any with messages)."""
    ids = set(
        Message.objects.visible_to(user)
        .filter(participant=participant, provider__isnull=False)
        .values_list("provider_id", flat=True)
    )
    if user.is_unit_staff:
        ids |= set(participant.provider_assignments.current().values_list("provider_id", flat=True))
    elif user.is_provider_staff:
        ids = {user.provider_id}
    return list(Provider.objects.filter(pk__in=ids).order_by("name"))
