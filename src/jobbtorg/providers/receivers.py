from django.dispatch import receiver

from jobbtorg.interventions.signals import booking_placed
from jobbtorg.referrals.signals import referral_closed

from .services import assignment_for_booking, referral_closed_end_provider_work


@receiver(referral_closed, dispatch_uid="providers_referral_closed")
def _end_provider_work(sender, referral, by, ended_on, **kwargs):
    referral_closed_end_provider_work(referral=referral, by=by, on=ended_on)


@receiver(booking_placed, dispatch_uid="providers_booking_placed")
def _assign_to_provider(sender, booking, by, **kwargs):
    if booking.offering.provider_id:
        assignment_for_booking(booking=booking, by=by)
