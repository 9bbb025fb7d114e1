"""The API fuzzed from its own OpenAPI schema (schemathesis): for every operation, generated inputs are sent
as three roles (a job coach, a caseworker, provider staff — through a signed-in session with its CSRF token,
as staff use the API) and as an integration account's token with every scope; no answer may be a 5xx.

Bounded so that the whole module runs in about a minute or two: FUZZ_EXAMPLES examples per operation, each
sent once per role. The number of cases run is printed at the end (and FUZZ_EXAMPLES can be raised through
the environment for a longer run)."""

import datetime
import json
import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings

from jobbtorg.identity.constants import TokenScope
from jobbtorg.identity.tokens import integration_token_create

from ..factories import provider_user
from .world import build_world

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
FUZZ_ROLES = ("job_coach", "caseworker", "provider_staff", "partner_staff", "integration")
CSRF_SECRET = "f" * 32
CASES = {"run": 0, "operations": 0}
STATUSES: Counter = Counter()


def _schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    document = json.loads(OpenApiJsonRenderer().render(generated))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    # The coverage phase is not bounded by max_examples (it sent 23,000 cases); unexpected methods are
    # sent by test_unexpected_methods below instead.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = _schema()


def _session_headers(user) -> dict:
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    return {
        "headers": {"X-CSRFToken": CSRF_SECRET},
        "cookies": {"sessionid": session, "csrftoken": CSRF_SECRET},
    }


def _integration_headers(world) -> dict:
    """A provider's integration account with a token of every scope (tests/identity/test_tokens.py)."""
    account = provider_user(world.users["provider_staff"].provider)
    account.is_integration = True
    account.save()
    _, key = integration_token_create(
        user=account,
        name="fuzz",
        scopes=list(TokenScope.values),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return {"headers": {"Authorization": f"Bearer {key}"}, "cookies": {}}


@pytest.fixture
def tokens(db):
    """Role -> the headers and cookies its requests carry."""
    # The WSGI handler closes "old" database connections at the end of each request; the test's transaction
    # lives on that connection, so keep it open (as Django's own test client does).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    world = build_world()
    headers = {role: _session_headers(world.users[role]) for role in FUZZ_ROLES if role in world.users}
    headers["integration"] = _integration_headers(world)
    yield headers
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_no_server_error_for_any_generated_input(case, tokens):
    for role in FUZZ_ROLES:
        response = case.call(**tokens[role])
        CASES["run"] += 1
        STATUSES[response.status_code] += 1
        assert response.status_code < 500, (
            f"{role}: {case.method} {case.formatted_path} -> {response.status_code}\n"
            f"{case.as_curl_command()}\n{response.text[:2000]}"
        )


UNEXPECTED = ("OPTIONS", "HEAD", "PUT", "PATCH", "DELETE", "TRACE")


def test_unexpected_methods(tokens):
    """Every path of the schema with the methods it does not document (and OPTIONS/HEAD): never a 5xx."""
    failures = []
    for role in ("job_coach", "integration"):
        failures += _unexpected_methods(role, tokens[role])
    assert not failures, "\n".join(sorted(set(failures)))


def _unexpected_methods(role: str, credentials: dict) -> list[str]:
    headers = credentials["headers"]
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    client = Client(raise_request_exception=False, **extra)
    for name, value in credentials["cookies"].items():
        client.cookies[name] = value
    failures = []
    for operation in schema.get_all_operations():
        operation = operation.ok()
        path = operation.path
        for placeholder in [p.split("}")[0] for p in path.split("{")[1:]]:
            value = (
                "1"
                if "number" in placeholder
                or path.split("{" + placeholder)[0].endswith(
                    ("offerings/", "providers/", "authorisations/", "authorisation-applications/")
                )
                else "00000000-0000-4000-8000-000000000000"
            )
            path = path.replace("{" + placeholder + "}", value)
        for method in UNEXPECTED:
            response = client.generic(method, path)
            CASES["run"] += 1
            if response.status_code >= 500:
                failures.append(f"{role} {method} {path}: {response.status_code}")
    return failures


def test_fuzz_count():
    """Runs after the operations above (same module): prints how many cases were sent."""
    operations = sum(1 for _ in schema.get_all_operations())
    print(
        f"\nfuzzing: {CASES['run']} cases over {operations} operations × {len(FUZZ_ROLES)} roles; "
        f"answers: {dict(sorted(STATUSES.items()))}"
    )
    assert operations > 30
