from django.dispatch import receiver

from jobbtorg.referrals.signals import referral_closed

from .services import referral_closed_notice


@receiver(referral_closed, dispatch_uid="attendance_referral_closed")
def _notice_on_close(sender, referral, by, ended_on, **kwargs):
    referral_closed_notice(referral=referral, on=ended_on)
