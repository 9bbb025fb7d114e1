"""Reads for the journal and message pages."""

from django.db.models import Prefetch, Q, QuerySet

from jobbtorg.providers.models import Provider
from jobbtorg.referrals.models import Referral

from .models import JournalEntry, Message


def journal_heads(*, user, participant) -> QuerySet[JournalEntry]:
    """The entries a person's journal lists at the top level, as the user may see it: the original entries,
    each with the corrections that point to it (oldest first) on `entry.shown_corrections`, and a correction
    whose original the user does not see on its own. Ordered newest first; the page sorts and pages it."""
    visible = JournalEntry.objects.visible_to(user).filter(participant=participant)
    return (
        visible.filter(Q(corrects__isnull=True) | ~Q(corrects__in=visible.values("pk")))
        .select_related("author", "author_provider", "corrects", "referral")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=visible.select_related("author", "author_provider", "referral").order_by(
                    "written_at"
                ),
                to_attr="shown_corrections",
            )
        )
    )


def journal_for(*, user, participant) -> list[JournalEntry]:
    """The whole journal (journal_heads, newest first) as a list."""
    return list(journal_heads(user=user, participant=participant))


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
