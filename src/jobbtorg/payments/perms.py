"""Who may see which payment lines on the pages: the same rule as `PaymentLine.objects.visible_to`
(payments/querysets.py), asked for one provider."""

from .querysets import sees_all_lines_of_municipality, sees_own_provider_lines


def can_see_provider_lines(user, provider) -> bool:
    """Finance (view_payment_basis) sees every provider of their municipality; provider staff only their
    own provider; nobody else."""
    if sees_all_lines_of_municipality(user):
        return user.municipality_id == provider.municipality_id
    return sees_own_provider_lines(user) and user.provider_id == provider.pk
