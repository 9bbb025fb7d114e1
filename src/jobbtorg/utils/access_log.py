"""gunicorn's access log without personal identity numbers (`logger_class` in `gunicorn.conf.py`).

The request line, path, query string and referrer keep the query's names but not their values, and anything
that looks like an identity number is replaced, in every atom the format could name (headers, environ,
response headers such as Location). The application refuses such addresses too
(`utils.middleware.RefuseIdentityNumbersInUrl`), but the access line is written whatever the answer was."""

from gunicorn.glogging import Logger

from .logging import redact_request_line
from .personal_numbers import redact, redact_url

URL_ATOMS = frozenset(
    {"U", "f", "{referer}i", "{location}o", "{raw_uri}e", "{path_info}e", "{http_referer}e"}
)
QUERY_ATOMS = frozenset({"q", "{query_string}e"})


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if not isinstance(value, str):
                continue
            if key == "r":
                atoms[key] = redact_request_line(value)
            elif key in URL_ATOMS:
                atoms[key] = redact_url(value)
            elif key in QUERY_ATOMS:
                atoms[key] = redact_url("?" + value)[1:] if value else value
            else:
                atoms[key] = redact(value)
        return atoms
