from django.dispatch import receiver

from jobbtorg.referrals.signals import referral_closed

from .services import exit_from_closed_referral


@receiver(referral_closed, dispatch_uid="followup_referral_closed")
def _exit_on_close(sender, referral, by, ended_on, **kwargs):
    exit_from_closed_referral(referral=referral, by=by, on=ended_on)
