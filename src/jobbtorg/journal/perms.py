"""Who may read and write the case journal and the messages on a case — one function per rule, the rule in
its docstring. The services raise PermissionDenied when a function here says no; the pages, the templates
(`{% can %}`) and the API ask the same functions. Which entries and messages a user sees at all is
`JournalEntry.objects.visible_to` / `Message.objects.visible_to`."""

from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral


def can_view_journals(user) -> bool:
    """Jobbtorg staff, district caseworkers and provider staff read journals (`journal.view_journalentry`;
    which entries: `JournalEntry.objects.visible_to`)."""
    return user.has_perm("journal.view_journalentry")


def can_write_journals(user) -> bool:
    """Coaches, study and career counsellors, matchers and provider staff write journal entries
    (`journal.add_journalentry`; about whom: `can_write_entry`)."""
    return user.has_perm("journal.add_journalentry")


def can_write_entry(user, referral) -> bool:
    """An entry on a case is written by Jobbtorg staff who may write (`can_write_journals`) on a referral of
    their own unit whose basis stands, or by provider staff who may write, about a person currently assigned
    to their organisation on that referral with the consent Jobbtorg ↔ provider in force."""
    if referral is None or not can_write_journals(user):
        return False
    if user.is_unit_staff:
        return Referral.objects.visible_to(user).filter(pk=referral.pk).exists()
    if user.is_provider_staff:
        sees = Participant.objects.visible_to(user).filter(pk=referral.participant_id).exists()
        return sees and referral.provider_assignments.current().filter(provider_id=user.provider_id).exists()
    return False


def can_sign_entry(user, entry) -> bool:
    """Only its author signs an entry, once (a signed entry is never changed)."""
    return entry.signed_at is None and entry.author_id == user.pk


def can_correct_entry(user, entry) -> bool:
    """A signed entry is corrected by a new entry pointing to it, written by someone who may write on the
    case (`can_write_entry`) and sees the entry."""
    return entry.pk in correctable_entries(user, [entry])


def correctable_entries(user, entries) -> set:
    """The rule of `can_correct_entry` for a page of entries at once: the ids of those the user may correct
    (one `can_write_entry` per case and one query for the visibility, whatever the number of entries)."""
    signed = [entry for entry in entries if entry.signed_at is not None]
    writable: dict = {}
    for entry in signed:
        if entry.referral_id not in writable:
            writable[entry.referral_id] = can_write_entry(user, entry.referral)
    candidates = [entry.pk for entry in signed if writable[entry.referral_id]]
    if not candidates:
        return set()
    model = type(signed[0])
    return set(model.objects.visible_to(user).filter(pk__in=candidates).values_list("pk", flat=True))


def can_view_messages(user) -> bool:
    """The person (participant view) reads their own thread; coaches, counsellors, unit heads and provider
    staff read the threads on cases they see (`journal.view_message`; which: `Message.objects.visible_to`)."""
    return user.is_participant or user.has_perm("journal.view_message")


def can_send_message(user, referral, provider=None) -> bool:
    """Who writes in which thread of a case:

    - the person: in their own thread with the Jobbtorg (no provider), on a case of theirs that is open;
    - Jobbtorg staff with `journal.add_message`: in either thread on a referral of their unit whose basis
      stands (to a provider only one the person is currently assigned to);
    - provider staff with `journal.add_message`: in their organisation's thread about a person assigned to
      it (`can_write_entry`'s rule for providers)."""
    if referral is None:
        return False
    if user.is_participant:
        return provider is None and referral.participant_id == user.participant_id and referral.is_open
    if not user.has_perm("journal.add_message"):
        return False
    if user.is_unit_staff:
        if not Referral.objects.visible_to(user).filter(pk=referral.pk).exists():
            return False
        return provider is None or referral.provider_assignments.current().filter(provider=provider).exists()
    if user.is_provider_staff:
        if provider is None or provider.pk != user.provider_id:
            return False
        sees = Participant.objects.visible_to(user).filter(pk=referral.participant_id).exists()
        return sees and referral.provider_assignments.current().filter(provider_id=user.provider_id).exists()
    return False
