"""Reads for the document pages and the API."""

from django.db.models import Prefetch, QuerySet

from jobbtorg.providers.models import Provider
from jobbtorg.referrals.models import Referral

from .models import Document, DocumentShare


def documents_for(*, user, participant) -> QuerySet:
    """A person's documents as the user may see them, newest first, with whom each was shared."""
    return (
        Document.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("uploaded_by", "uploaded_by_provider")
        .prefetch_related(
            Prefetch(
                "shares",
                queryset=DocumentShare.objects.visible_to(user).select_related("provider"),
                to_attr="shown_shares",
            )
        )
        .order_by("-document_date", "-uploaded_at", "id")
    )


def case_referral_for(*, user, participant) -> Referral | None:
    """The case a document is added to: for provider staff the referral of their organisation's current
    assignment; for the Jobbtorg and the caseworker the open (else latest) referral they see."""
    if user.is_provider_staff:
        referrals = Referral.objects.filter(
            participant=participant,
            provider_assignments__provider_id=user.provider_id,
            provider_assignments__end_date__isnull=True,
        ).with_basis()
    else:
        referrals = Referral.objects.visible_to(user).with_basis().filter(participant=participant)
    referrals = list(referrals.order_by("-referral_date", "-created_at").distinct()[:10])
    return next((r for r in referrals if r.is_open), referrals[0] if referrals else None)


def share_targets(*, document) -> QuerySet:
    """The providers a document may be shared with: those the person is currently assigned to, less those
    it is already shared with."""
    shared = document.shares.values("provider_id")
    ids = document.participant.provider_assignments.current().values("provider_id")
    return Provider.objects.filter(pk__in=ids).exclude(pk__in=shared).order_by("name")
