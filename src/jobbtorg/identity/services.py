"""Who signs in through OpenID Connect, and as what: the e-ID's identity number matched to a person's record,
the staff IdP's groups mapped to a role (StaffRoleMapping). Refusals carry a reason that the page explains."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.accounts.models import User
from jobbtorg.participants.models import Participant
from jobbtorg.utils import personal_numbers

from .models import ExternalIdentity, SignInLog, StaffRoleMapping
from .oidc import EID, STAFF, config


class SignInRefused(Exception):
    """reason: no_record (no person with this identity number), low_assurance (acr not accepted), no_role
    (no mapped group), no_identity (the IdP sent no usable identity number or subject)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(v) for v in value]


def assurance_of(claims: dict) -> str:
    amr = " ".join(_as_list(claims.get("amr")))
    return " ".join(part for part in (str(claims.get("acr") or ""), f"amr={amr}" if amr else "") if part)


@transaction.atomic
def participant_from_eid(*, claims: dict) -> User:
    """The participant login of the person whose identity number the e-ID asserts (canonical form; a
    coordination number too), made at the first sign-in. Refused below the required level of assurance."""
    conf = config(EID)
    accepted = conf.get("acr_values") or []
    if accepted and str(claims.get("acr") or "") not in accepted:
        raise SignInRefused("low_assurance")
    raw = claims.get(conf.get("pin_claim") or "personal_identity_number")
    try:
        number = personal_numbers.normalize(str(raw or ""))
    except ValidationError:
        raise SignInRefused("no_identity") from None
    people = list(Participant.objects.filter(personal_number=number).order_by("-created_at"))
    if not people:
        raise SignInRefused("no_record")
    login = User.objects.filter(participant__in=people, role=Role.PARTICIPANT).order_by("-pk").first()
    if login is None:
        person = people[0]
        login = User(
            username=f"eid-{person.pk}",  # never the identity number
            first_name=person.first_name,
            last_name=person.last_name,
            role=Role.PARTICIPANT,
            participant=person,
            municipality_id=person.municipality_id,
        )
        login.set_unusable_password()
        login.full_clean()
        login.save()
    elif not login.is_active:
        raise SignInRefused("no_record")
    return login


def _username_for(claims: dict) -> str:
    base = str(claims.get("preferred_username") or claims.get("email") or f"sso-{claims['sub']}")[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def staff_from_sso(*, claims: dict) -> tuple[User, bool]:
    """The staff user of this IdP subject, created or updated from the mapping of their groups; returns it
    and whether the IdP asserted multi-factor authentication. No mapped group: refused, and a user who had
    one (deprovisioned at the IdP) is deactivated and their sessions end."""
    conf = config(STAFF)
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused("no_identity")
    issuer = str(claims.get("iss") or conf.get("issuer"))
    groups = _as_list(claims.get(conf.get("groups_claim") or "groups"))
    mapping = StaffRoleMapping.objects.filter(group__in=groups).order_by("priority", "group").first()
    known = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if mapping is None:
        if known is not None and known.user.is_active:
            with transaction.atomic():  # kept although the sign-in is refused
                known.user.is_active = False
                known.user.save(update_fields=["is_active"])
                sessions_end(user=known.user)
        raise SignInRefused("no_role")
    with transaction.atomic():
        user = _staff_user_update(known=known, claims=claims, mapping=mapping, issuer=issuer, subject=subject)
    amr = set(_as_list(claims.get("amr")))
    acr = str(claims.get("acr") or "")
    return user, bool(amr & set(conf.get("mfa_amr") or [])) or acr in (conf.get("mfa_acr") or [])


def _staff_user_update(*, known, claims: dict, mapping, issuer: str, subject: str) -> User:
    user = known.user if known else User(username=_username_for(claims))
    user.role = mapping.role
    user.municipality_id = mapping.municipality_id
    user.unit_id, user.district_id, user.provider_id = (
        mapping.unit_id,
        mapping.district_id,
        mapping.provider_id,
    )
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.email = str(claims.get("email") or user.email)[:254]
    user.is_active = True
    if not user.pk:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if known is None:
        ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    return user


def sign_in_record(*, request, user, method: str, assurance: str = "") -> SignInLog:
    """Log a sign-in and remember it in the session (the read log names it)."""
    entry = SignInLog.objects.create(
        user=user, method=method, assurance=assurance[:200], session_key=request.session.session_key or ""
    )
    request.session[SESSION_SIGN_IN] = entry.pk
    return entry


SESSION_SIGN_IN = "jobbtorg_sign_in"


def sessions_end(*, user, by=None) -> int:
    """End every session of a user (the admin's action; deprovisioning): the sessions their sign-ins
    opened are deleted, so each of their browsers is signed out at its next request."""
    entries = SignInLog.objects.filter(user=user, ended_at__isnull=True).exclude(session_key="")
    keys = list(entries.values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    entries.update(ended_at=timezone.now())
    return deleted
