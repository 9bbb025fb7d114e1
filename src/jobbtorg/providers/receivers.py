from django.dispatch import receiver

from jobbtorg.referrals.signals import referral_closed

from .services import referral_closed_end_provider_work


@receiver(referral_closed, dispatch_uid="providers_referral_closed")
def _end_provider_work(sender, referral, by, ended_on, **kwargs):
    referral_closed_end_provider_work(referral=referral, by=by, on=ended_on)
