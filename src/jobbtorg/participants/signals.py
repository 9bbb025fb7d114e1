"""Domain events of participants. Sent inside the writer's transaction, so what other apps do in response is
part of the same all-or-nothing write."""

from django.dispatch import Signal

# sender=Consent, consent=<Consent>, by=<User>
# The person (or their caseworker for them) withdrew the consent to share information between the district
# and the Jobbtorg: the referrals that rest on it lose their basis at once (referrals/receivers.py).
consent_withdrawn = Signal()
