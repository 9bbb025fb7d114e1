"""Domain events of referrals. Sent inside the writer's transaction, so what other apps do in response is
part of the same all-or-nothing write."""

from django.dispatch import Signal

# sender=Referral, referral=<Referral>, by=<User>, ended_on=<date>
# `ended_on` is the last day of the person's time at the Jobbtorg: the exit date when an exit is recorded
# (possibly days or months before it is recorded), else the day of closing. Everything that runs for the
# person (provider assignments, bookings, the exit row) ends on that day, so payments and follow-up agree.
referral_closed = Signal()
