"""Who may see and do what with the payment basis — one function per rule, the rule in its docstring. The
services raise PermissionDenied when a function here says no; the pages, the templates (`{% can %}`) and the
API ask the same functions. Which lines a user sees is `PaymentLine.objects.visible_to` (querysets.py),
built on the same two predicates."""

from .querysets import sees_all_lines_of_municipality, sees_own_provider_lines


def can_see_provider_lines(user, provider) -> bool:
    """Finance (`payments.view_payment_basis`) sees every provider of their municipality; provider staff only
    their own provider; nobody else."""
    if sees_all_lines_of_municipality(user):
        return user.municipality_id == provider.municipality_id
    return sees_own_provider_lines(user) and user.provider_id == provider.pk


def can_view_payment_basis(user) -> bool:
    """Finance (`payments.view_payment_basis`: administrators, unit heads) follows the monthly basis of their
    municipality."""
    return user.has_perm("payments.view_payment_basis")


def can_run_payments(user) -> bool:
    """Finance (`payments.run_payments`: administrators) computes a month's payment basis."""
    return user.has_perm("payments.run_payments")


def can_approve_payments(user) -> bool:
    """Finance (`payments.approve_payments`: administrators) approves the basis and answers disputes (which
    ones: `can_approve_run`, `can_answer_dispute`)."""
    return user.has_perm("payments.approve_payments")


def can_approve_run(user, run) -> bool:
    """Finance approves and locks a payment run of their own municipality."""
    return can_approve_payments(user) and user.municipality_id == run.municipality_id


def can_dispute_lines(user, provider) -> bool:
    """Provider staff (`payments.add_dispute`) dispute the lines of their own provider."""
    return user.has_perm("payments.add_dispute") and user.provider_id == provider.pk


def can_answer_dispute(user, dispute) -> bool:
    """Finance answers the disputes of lines of their own municipality."""
    return can_approve_payments(user) and user.municipality_id == dispute.line.run.municipality_id


def can_manage_compensation(user, model) -> bool:
    """Administrators (`payments.manage_compensation`) add versions to their own municipality's compensation
    models."""
    return user.has_perm("payments.manage_compensation") and user.municipality_id == model.municipality_id


def can_view_creaming_check(user) -> bool:
    """Finance, unit heads and analysts (`payments.view_creaming_check`) see the creaming and parking check
    (aggregates only)."""
    return user.has_perm("payments.view_creaming_check")


def can_view_creaming_reviews(user) -> bool:
    """Finance (`payments.view_payment_basis`: administrators, unit heads) follows the creaming reviews of
    their municipality and which payment lines they hold."""
    return can_view_payment_basis(user)


def can_open_creaming_reviews(user) -> bool:
    """The contract manager (`payments.approve_payments`: administrators) puts the flags of the creaming
    check under review, which holds the flagged lines."""
    return can_approve_payments(user)


def can_decide_creaming_review(user, review) -> bool:
    """The contract manager (`payments.approve_payments`) of the review's municipality decides it: release
    or reject the held lines."""
    return can_approve_payments(user) and user.municipality_id == review.municipality_id
