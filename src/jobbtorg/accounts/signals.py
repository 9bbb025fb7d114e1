"""Events of the sign-in that other apps listen to (the sign-in log of jobbtorg.identity)."""

from django.dispatch import Signal

# A staff member entered a correct code from their authenticator app (kwargs: request, user).
second_factor_verified = Signal()
