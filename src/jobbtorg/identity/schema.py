"""The OpenAPI document names the integration token only on the endpoints that accept one (their scope)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "jobbtorg.identity.authentication.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_requirement(self, auto_schema):
        view = auto_schema.view
        if not (getattr(view, "token_scope", None) or getattr(view, "token_scopes", None)):
            return None  # staff's browser session only
        return {self.name: []}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration account's token (jt_…), made by the administrator; accepted only "
            "by the endpoints of its scopes: assistance_import (the assistance imports), attendance_report "
            "(attendance reporting).",
        }
