"""A lost database connection does not reach the user: CONN_HEALTH_CHECKS replaces a connection that died
between requests, and a GET whose connection dies mid-request is retried once (bench/lost_connections.py
measures both under load against gunicorn)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client


def test_persistent_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("terminating a connection needs PostgreSQL")


@pytest.mark.urls("tests.utils.urls_failing")
@pytest.mark.django_db(transaction=True)
def test_a_get_whose_connection_dies_mid_request_is_retried_once(postgresql, coach):
    client = Client(raise_request_exception=False)
    client.force_login(coach)
    response = client.get("/tapp-anslutning/")
    assert response.status_code == 200 and response.content == b"read"


@pytest.mark.urls("tests.utils.urls_failing")
@pytest.mark.django_db(transaction=True)
def test_a_post_is_never_retried(postgresql, coach):
    client = Client(raise_request_exception=False)
    client.force_login(coach)
    status = client.post("/tapp-anslutning/").status_code
    connection.close()  # the dead connection (a server closes it at the end of the request)
    assert status == 500
