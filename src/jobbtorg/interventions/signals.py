"""Domain events of interventions. Sent inside the writer's transaction (as `referrals.signals`), so what
other apps do in response is part of the same all-or-nothing write."""

from django.dispatch import Signal

# sender=Booking, booking=<Booking>, by=<User>
# A booking got a place in its offering: booked at once, or promoted from the waiting list. Providers listen
# (a place in a provider's offering assigns the person to that provider, so its staff can report).
booking_placed = Signal()
