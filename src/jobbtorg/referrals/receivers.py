from django.dispatch import receiver
from django.utils import timezone

from jobbtorg.participants.signals import consent_withdrawn

from .services import referrals_consent_withdrawn


@receiver(consent_withdrawn, dispatch_uid="referrals_consent_withdrawn")
def _end_the_basis(sender, consent, by, **kwargs):
    # the work ends on the day the consent was withdrawn (never a day still to come)
    on = min(consent.effective_date, timezone.localdate())
    referrals_consent_withdrawn(participant_id=consent.participant_id, on=on, by=by)
