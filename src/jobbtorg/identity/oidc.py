"""The OpenID Connect clients (Authlib: authorization code flow with PKCE, ID-token checks, discovery).
Two of them, each on when its issuer is set (settings.JOBBTORG_OIDC): `eid` for participants through the
municipality's e-ID broker, `staff` for the municipality's identity provider. We never speak the protocol
ourselves: Authlib fetches the discovery document, makes state, nonce and the PKCE verifier, exchanges the
code and validates the ID token (signature, issuer, audience, expiry, nonce)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

EID, STAFF = "eid", "staff"
_registries: dict[tuple, object] = {}


def config(name: str) -> dict:
    return settings.JOBBTORG_OIDC.get(name) or {}


def enabled(name: str) -> bool:
    return bool(config(name).get("issuer") and config(name).get("client_id"))


def client(name: str):
    """The Authlib client of `name` for the current settings (made once per configuration)."""
    conf = config(name)
    key = (name, conf["issuer"], conf["client_id"], conf.get("client_secret", ""), conf.get("scope", ""))
    if key not in _registries:
        # Loaded where used: a worker that serves no sign-in never imports Authlib (and its cryptography).
        from authlib.integrations.django_client import OAuth

        oauth = OAuth()
        oauth.register(
            name=name,
            client_id=conf["client_id"],
            client_secret=conf.get("client_secret") or None,
            server_metadata_url=conf["issuer"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": conf.get("scope") or "openid", "code_challenge_method": "S256"},
        )
        _registries[key] = oauth
    return _registries[key].create_client(name)


def claims_of(name: str, request) -> dict | None:
    """After the redirect back: exchange the code and return the ID token's claims, completed from the
    userinfo endpoint for claims the ID token does not carry (acr and amr only ever from the ID token).
    None when the answer does not check out (state, code, signature, nonce, an error from the provider)."""
    from authlib.integrations.base_client.errors import OAuthError

    oidc = client(name)
    try:
        token = oidc.authorize_access_token(request)
    except (OAuthError, KeyError, ValueError):
        return None
    claims = dict(token.get("userinfo") or {})
    try:
        extra = oidc.userinfo(token=token)
    except Exception:  # noqa: BLE001  (a broker without userinfo: the ID token's claims are what we have)
        extra = {}
    for key, value in dict(extra).items():
        if key not in ("acr", "amr", "sub", "iss", "aud"):
            claims.setdefault(key, value)
    claims["_id_token"] = token.get("id_token", "")
    return claims


def end_session_url(name: str, *, id_token: str, return_to: str) -> str | None:
    """RP-initiated logout at the identity provider, where it supports it (end_session_endpoint)."""
    if not enabled(name):
        return None
    oidc = client(name)
    metadata = oidc.load_server_metadata()
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = {"post_logout_redirect_uri": return_to, "client_id": config(name)["client_id"]}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"
