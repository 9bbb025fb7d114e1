"""A real OpenID Provider for the tests: panva's oidc-provider (npm, tests/oidc/op.js) started as its own
process on a free port, with two clients (the e-ID broker, the staff IdP) and test accounts. Never a mock.

`npm ci` in tests/oidc is run by `make test` (and so by .ci/run); here too when node_modules is missing.
The tests skip, saying why, only when node itself is missing."""

from __future__ import annotations

import contextlib
import datetime
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from jobbtorg.utils import personal_numbers

OP_DIR = Path(__file__).resolve().parents[1] / "oidc"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
PIN = personal_numbers.make(datetime.date(1985, 7, 9), 123)
COORDINATION_PIN = personal_numbers.make(datetime.date(1990, 3, 14), 456, coordination=True)
UNKNOWN_PIN = personal_numbers.make(datetime.date(1970, 1, 2), 789)
EID_CLIENT = {"client_id": "jobbtorg-eid", "client_secret": "eid-test-secret"}
STAFF_CLIENT = {"client_id": "jobbtorg-staff", "client_secret": "staff-test-secret"}
GROUP_COACH, GROUP_CASEWORKER, GROUP_OTHER = "sg-jobbtorg-coach-jarva", "sg-soc-rinkeby", "sg-fritid"

# Test accounts: the claims the OP sends, the acr and amr of the sign-in.
ACCOUNTS = {
    # e-ID: the identity number as "personal_identity_number" (a broker's own claim name), LoA 3.
    "participant": {"claims": {"personal_identity_number": PIN, "given_name": "Amina"}, "acr": LOA3},
    "participant-coordination": {"claims": {"personal_identity_number": COORDINATION_PIN}, "acr": LOA3},
    "participant-loa2": {"claims": {"personal_identity_number": PIN}, "acr": LOA2},
    "unknown-person": {"claims": {"personal_identity_number": UNKNOWN_PIN}, "acr": LOA3},
    # Staff: group claims; the IdP asserts MFA (amr "mfa") or not.
    "coach-sso": {
        "claims": {
            "groups": [GROUP_OTHER, GROUP_COACH],
            "given_name": "Kim",
            "family_name": "Coach",
            "email": "kim.coach@kommun.example",
        },
        "acr": "urn:mfa",
        "amr": ["pwd", "mfa"],
    },
    "caseworker-nomfa": {
        "claims": {"groups": [GROUP_CASEWORKER], "email": "sam.soc@kommun.example"},
        "acr": "urn:pwd",
        "amr": ["pwd"],
    },
    "unmapped-staff": {
        "claims": {"groups": [GROUP_OTHER], "email": "alex@kommun.example"},
        "amr": ["pwd", "mfa"],
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ensure_node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the OpenID Provider of the sign-in tests (tests/oidc) needs it")
    if not (OP_DIR / "node_modules" / "oidc-provider").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: cannot install tests/oidc (npm ci)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=OP_DIR, check=True, capture_output=True)
    return node


@contextlib.contextmanager
def running_op(bases: list[str], accounts: dict | None = None):
    """The OP with redirect URIs at each base URL (the test client's, a live server's)."""
    node = _ensure_node()
    port = _free_port()
    clients = []
    for spec, path in (
        (EID_CLIENT, "/logga-in/e-legitimation/klar/"),
        (STAFF_CLIENT, "/logga-in/kommunkonto/klar/"),
    ):
        clients.append(
            {
                **spec,
                "redirect_uris": [base + path for base in bases],
                "post_logout_redirect_uris": [base + "/logga-in/" for base in bases],
            }
        )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump({"clients": clients, "accounts": accounts or ACCOUNTS}, handle)
    issuer = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [node, "op.js"],
        cwd=OP_DIR,
        env={"PATH": str(Path(node).parent), "OP_PORT": str(port), "OP_CONFIG": handle.name},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    raise RuntimeError(f"the test OP did not start:\n{output}") from None
                time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        Path(handle.name).unlink(missing_ok=True)


def oidc_settings(issuer: str) -> dict:
    return {
        "eid": {
            "issuer": issuer,
            **EID_CLIENT,
            "scope": "openid profile eid",
            "pin_claim": "personal_identity_number",
            "acr_values": [LOA3],
        },
        "staff": {
            "issuer": issuer,
            **STAFF_CLIENT,
            "scope": "openid profile email groups",
            "groups_claim": "groups",
            "mfa_amr": ["mfa", "otp", "hwk"],
            "mfa_acr": [],
        },
    }
