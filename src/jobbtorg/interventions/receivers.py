from django.dispatch import receiver

from jobbtorg.referrals.signals import referral_closed

from .services import referral_closed_end_bookings


@receiver(referral_closed, dispatch_uid="interventions_referral_closed")
def _end_bookings(sender, referral, by, ended_on, **kwargs):
    referral_closed_end_bookings(referral=referral, by=by, on=ended_on)
