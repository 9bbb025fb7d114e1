"""API authentication: integration tokens, each accepted only by the endpoints of its scopes.

An endpoint opens itself to tokens by naming a scope on its view: `token_scope = TokenScope.X` (for a whole
view) or `token_scopes = {"create": TokenScope.X}` (per viewset action or HTTP method). Every other endpoint
answers a token with 403. Human staff use the API through their browser session (after single sign-on or
two-factor); they have no tokens (docs/identity.md)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from jobbtorg.utils.sign_in import current_sign_in_set

from .tokens import integration_token_find, token_sign_in

KEYWORDS = ("Bearer", "Token")


def scope_of(view, request) -> str | None:
    """The token scope an endpoint accepts for this request, or None (tokens refused)."""
    if view is None:
        return None
    per_action = getattr(view, "token_scopes", None)
    if per_action:
        action = getattr(view, "action", None) or request.method.lower()
        return per_action.get(action) or per_action.get(request.method.lower())
    return getattr(view, "token_scope", None)


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer jt_…` (or `Token jt_…`): a usable token whose scopes include the endpoint's."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        token = integration_token_find(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        view = (getattr(request, "parser_context", None) or {}).get("view")
        scope = scope_of(view, request)
        if scope is None or scope not in token.scopes:
            raise exceptions.PermissionDenied(_("This token's scopes do not include this endpoint."))
        current_sign_in_set(token_sign_in(token).pk)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
