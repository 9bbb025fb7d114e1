"""The OpenAPI document: valid OpenAPI 3, every endpoint documented, no identity number in any path."""

import pytest
from drf_spectacular.validation import validate_schema

ENDPOINTS = {
    "/api/participants/": {"get"},
    "/api/participants/{id}/": {"get"},
    "/api/participants/lookup/": {"post"},
    "/api/participants/{id}/consents/": {"post"},
    "/api/referrals/": {"get", "post"},
    "/api/referrals/{id}/": {"get"},
    "/api/referrals/{id}/accept/": {"post"},
    "/api/referrals/{id}/return/": {"post"},
    "/api/referrals/{id}/close/": {"post"},
    "/api/referrals/{id}/resubmit/": {"post"},
    "/api/referrals/{referral_pk}/mapping/": {"get", "put"},
    "/api/referrals/{referral_pk}/plan/": {"post"},
    "/api/plans/": {"get"},
    "/api/plans/{id}/": {"get", "put"},
    "/api/plans/{id}/propose/": {"post"},
    "/api/plans/{id}/approve/": {"post"},
    "/api/plans/{id}/return/": {"post"},
    "/api/plans/{id}/versions/": {"get"},
    "/api/plans/{id}/versions/{number}/": {"get"},
    "/api/worklist/": {"get"},
    "/api/inbox/": {"get"},
    "/api/intervention-types/": {"get"},
    "/api/audit/reads/": {"get"},
    "/api/audit/reads/search/": {"post"},
    "/api/auth/token/": {"post"},
}


@pytest.fixture
def schema(api_client, db):
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_endpoint_is_documented(schema):
    paths = schema["paths"]
    for path, methods in ENDPOINTS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
        for method in methods:
            operation = paths[path][method]
            if path != "/api/auth/token/":
                assert operation.get("summary"), (method, path)
            if method in ("put", "post") and path != "/api/referrals/{referral_pk}/plan/":
                assert "requestBody" in operation, (method, path)


def test_writes_with_a_version_document_409(schema):
    for path in (
        "/api/referrals/{id}/accept/",
        "/api/plans/{id}/",
        "/api/plans/{id}/approve/",
        "/api/referrals/{referral_pk}/mapping/",
    ):
        method = "post" if path.endswith(("accept/", "approve/")) else "put"
        assert "409" in schema["paths"][path][method]["responses"], path


def test_no_identity_number_in_any_url_or_query(schema):
    for path, operations in schema["paths"].items():
        assert "personal" not in path
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert "personal" not in parameter["name"], (path, parameter)


def test_docs_page_is_served(client, db):
    assert client.get("/api/docs/").status_code == 200
