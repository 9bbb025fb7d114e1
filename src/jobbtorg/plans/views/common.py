"""Small helpers shared by the plans views: scoping."""

from django.shortcuts import get_object_or_404

from jobbtorg.referrals.models import Referral


def referral_in_scope(user, referral_pk) -> Referral:
    """The referral if the user may see it; a 404 otherwise (never tell whether it exists)."""
    queryset = Referral.objects.visible_to(user).select_related(
        "participant", "district", "unit", "caseworker", "coach"
    )
    return get_object_or_404(queryset, pk=referral_pk)
