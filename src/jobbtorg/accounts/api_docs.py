"""The API documentation pages (Swagger UI, Redoc) load their scripts from a CDN with an inline starter, so
they get a policy of their own; every other page keeps the strict one of `SECURE_CSP`."""

from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

CDN = "https://cdn.jsdelivr.net"

API_DOCS_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CDN, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CDN, "https://fonts.googleapis.com", CSP.UNSAFE_INLINE],
    "font-src": [CSP.SELF, "https://fonts.gstatic.com"],
    "img-src": [CSP.SELF, "data:", CDN],
    "worker-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

swagger = csp_override(API_DOCS_CSP)(SpectacularSwaggerView.as_view(url_name="schema"))
redoc = csp_override(API_DOCS_CSP)(SpectacularRedocView.as_view(url_name="schema"))
