"""Domain events of referrals. Sent inside the writer's transaction, so what other apps do in response is
part of the same all-or-nothing write."""

from django.dispatch import Signal

# sender=Referral, referral=<Referral>, by=<User>
referral_closed = Signal()
