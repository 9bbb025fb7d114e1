"""Making, checking and revoking integration tokens. A key reads `jt_<prefix>_<secret>`; the prefix finds
the row, the SHA-256 of the whole key is compared in constant time."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .constants import SignInMethod
from .models import ApiToken, SignInLog

KEY_PREFIX = "jt_"
# last_used_at is written at most this often per token (not on every request).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_assign(token: ApiToken) -> str:
    """Give an unsaved token a fresh key (prefix and hash on the row); returns the key, which is not kept."""
    token.prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{token.prefix}_{secrets.token_urlsafe(32)}"
    token.key_hash = _hash(key)
    return key


@transaction.atomic
def integration_token_create(
    *, user, name: str, scopes: list[str], expires_at: datetime.datetime, by=None
) -> tuple[ApiToken, str]:
    """A new token for an integration account; returns the token and its key (shown once, never stored)."""
    if not (by is None or by.is_administrator):
        raise PermissionDenied("Only an administrator makes API tokens.")
    token = ApiToken(user=user, name=name, scopes=sorted(set(scopes)), expires_at=expires_at, created_by=by)
    key = key_assign(token)
    token.full_clean()
    token.save()
    return token, key


def integration_token_revoke(*, token: ApiToken, by=None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def integration_token_find(key: str) -> ApiToken | None:
    """The usable token with this key (not revoked or expired, of an active integration account), or None."""
    parts = key.split("_")
    if len(parts) < 3 or not key.startswith(KEY_PREFIX):
        return None
    prefix = parts[1]
    token = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_sign_in(token: ApiToken) -> SignInLog:
    """The sign-in-log row of a token's use: one per token per hour (not one per request); the read log
    names it for the reads made with the token."""
    marker = f"token:{token.prefix}"
    since = timezone.now() - datetime.timedelta(hours=1)
    entry = (
        SignInLog.objects.filter(user=token.user, session_key=marker, at__gte=since).order_by("-at").first()
    )
    if entry is None:
        entry = SignInLog.objects.create(
            user=token.user, method=SignInMethod.TOKEN, assurance=f"token {token.prefix}", session_key=marker
        )
    return entry
