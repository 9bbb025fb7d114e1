"""Who may upload, read and share documents on a person's case — one function per rule, the rule in its
docstring. The services raise PermissionDenied when a function here says no; the pages, the templates
(`{% can %}`) and the API ask the same functions. Which documents a user sees at all (and so may download) is
`Document.objects.visible_to`."""

from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral


def can_view_documents(user) -> bool:
    """Jobbtorg staff, district caseworkers and provider staff read documents (`documents.view_document`;
    which ones: `Document.objects.visible_to`)."""
    return user.has_perm("documents.view_document")


def can_upload_documents(user) -> bool:
    """Jobbtorg staff, district caseworkers and provider staff upload documents (`documents.add_document`;
    to which case: `can_upload_document`)."""
    return user.has_perm("documents.add_document")


def can_upload_document(user, referral) -> bool:
    """A document is added to a case by Jobbtorg staff of the receiving unit or the district's caseworker
    (a referral they see whose basis stands: the consent district ↔ Jobbtorg), or by staff of a provider the
    person is currently assigned to on that referral, with the consent Jobbtorg ↔ provider in force."""
    if referral is None or not can_upload_documents(user):
        return False
    if user.is_unit_staff or user.is_caseworker:
        return Referral.objects.visible_to(user).with_basis().filter(pk=referral.pk).exists()
    if user.is_provider_staff:
        sees = Participant.objects.visible_to(user).filter(pk=referral.participant_id).exists()
        return sees and referral.provider_assignments.current().filter(provider_id=user.provider_id).exists()
    return False


def can_share_document(user, document) -> bool:
    """Coaches, study and career counsellors and unit heads (`documents.share_document`) of the unit that
    sees the document share it with a provider the person is currently assigned to (which providers:
    `selectors.share_targets`)."""
    if not (user.is_unit_staff and user.has_perm("documents.share_document")):
        return False
    return type(document).objects.visible_to(user).filter(pk=document.pk).exists()
