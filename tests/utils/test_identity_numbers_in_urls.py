"""A personal identity number typed into an address is refused without being echoed, never carried on in
`next=`, and never written to an access log (runserver's or gunicorn's)."""

import logging
import random
import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from jobbtorg.utils.access_log import RedactingLogger
from jobbtorg.utils.logging import RedactRequestLine
from jobbtorg.utils.personal_numbers import in_url, redact_url

pytestmark = pytest.mark.django_db

NUMBER = "19870314-2383"  # valid, fictional (README's example)
FORMS = [NUMBER, "198703142383", "8703142383", "870314-2383", "19870314%2D2383", "19870314+2383"]


@pytest.mark.parametrize("written", FORMS)
def test_in_url_finds_a_valid_number_however_it_is_written(written):
    assert in_url("/personer/sok/", f"q={written}")
    assert in_url(f"/personer/{written}/", "")


def test_in_url_ignores_numbers_that_are_not_identity_numbers():
    assert not in_url("/personer/12/", "page=2&month=2026-11&q=Andersson")
    assert not in_url("/anordnare/", "org=556677-8899")  # an organisation number: month 66
    assert not in_url("/personer/sok/", "q=19870314-2384")  # wrong check digit


def test_in_url_ignores_the_digits_inside_uuids_and_tokens():
    # This UUID holds 2311742809 (231174-2809, a valid number) and was refused with a 400.
    found = "5f92f328-6588-4f4b-97c9-f2311742809d"
    assert not in_url("/api/v1/appointments/", f"referral={found}")
    assert not in_url(f"/remisser/{found}/", "")
    assert not in_url("/x/", "token=" + found.replace("-", "") * 2)
    rng = random.Random(7)
    for _ in range(30_000):
        value = str(uuid.UUID(int=rng.getrandbits(128)))
        assert not in_url(f"/remisser/{value}/", f"referral={value}"), value
    # A number typed next to an identifier is still found.
    assert in_url(f"/remisser/{found}/", f"q={NUMBER}")


def test_a_number_in_the_query_is_refused_without_echo(client, coach):
    client.force_login(coach)
    response = client.get(reverse("participants:search"), {"q": NUMBER, "page": "1"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "2383" not in body and "870314" not in body
    assert "Adressen innehöll ett personnummer" in body
    # the way on is the page without its query
    assert f'href="{reverse("participants:search")}"' in body


def test_a_number_in_the_path_is_refused_and_no_redirect_repeats_it(client, coach):
    client.force_login(coach)
    response = client.get(f"/personer/{NUMBER}")  # no trailing slash: APPEND_SLASH would redirect
    assert response.status_code == 400
    assert "Location" not in response
    assert "2383" not in response.content.decode()


def test_next_never_carries_the_number_for_someone_not_logged_in(client):
    response = client.get(reverse("participants:search"), {"q": NUMBER})
    assert response.status_code == 400
    assert "Location" not in response and "2383" not in response.content.decode()


def test_the_api_answers_json_without_echo(api_client, coach):
    api_client.force_authenticate(coach)
    response = api_client.get("/api/participants/", {"search": NUMBER})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "personal_number_in_url"
    assert "2383" not in response.content.decode()


def test_addresses_without_numbers_work_as_before(client, coach):
    client.force_login(coach)
    assert client.get(reverse("participants:search"), {"q": "Andersson"}).status_code == 200


def test_redact_url_keeps_names_not_values():
    assert redact_url(f"/personer/{NUMBER}/?q={NUMBER}&page=2") == "/personer/[personnummer]/?q=*&page=*"
    assert redact_url("/planer/arbetslista/") == "/planer/arbetslista/"


def test_runserver_access_log_line_is_redacted():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /personer/sok/?q={NUMBER} HTTP/1.1", "400", "12"),
        None,
    )
    RedactRequestLine().filter(record)
    line = record.getMessage()
    assert "2383" not in line and line.startswith('"GET /personer/sok/?q=* HTTP/1.1" 400')


def test_the_django_server_logger_has_the_filter(settings):
    assert "request_line" in settings.LOGGING["loggers"]["django.server"]["filters"]


def test_gunicorn_access_log_is_redacted():
    import datetime

    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = RedactingLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/personer/{NUMBER}/?q={NUMBER}",
        "PATH_INFO": f"/personer/{NUMBER}/",
        "QUERY_STRING": f"q={NUMBER}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"http://127.0.0.1/personer/sok/?q={NUMBER}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    resp = SimpleNamespace(status="400 Bad Request", sent=10, headers=[("Location", f"/x/?next={NUMBER}")])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, datetime.timedelta(milliseconds=5))
    line = config.access_log_format % atoms
    assert "2383" not in repr(atoms)
    assert "/personer/[personnummer]/?q=*" in line


def test_the_committed_gunicorn_conf_uses_the_redacting_logger():
    import runpy
    from pathlib import Path

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert conf["logger_class"] == "jobbtorg.utils.access_log.RedactingLogger"
    assert "%(r)s" in conf["access_log_format"] or "%(U)s" in conf["access_log_format"]


def test_the_way_on_never_leads_off_site(client):
    response = client.get("//evil.example/", {"q": NUMBER})
    assert response.status_code == 400 and "evil.example" not in response.content.decode()
