"""The virus-scan hook. `settings.JOBBTORG_DOCUMENT_SCANNER` names a callable that takes the uploaded file
(an open binary file at its start) and returns a `ScanResult`, or raises `Infected` with a short reason.

- `no_scan` (the default) scans nothing and says so: the document is stored as "not scanned" and a warning
  is logged once per process, so an operator sees that no scanner is configured;
- `reject_eicar` finds the EICAR test signature — the test suite's hook, and a way to check the wiring;
- `clamd_scan` asks a ClamAV daemon (`clamd`) over its socket (JOBBTORG_CLAMD_SOCKET or host:port in
  JOBBTORG_CLAMD_ADDRESS) with the INSTREAM command; an unreachable daemon refuses the upload rather than
  storing an unscanned file.
docs/operations.md describes how to switch them."""

import logging
import socket
import struct

from django.conf import settings
from django.utils.module_loading import import_string

from .constants import ScanResult

logger = logging.getLogger(__name__)
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024
_warned = {"no_scan": False}


class Infected(Exception):
    """The scanner found something: the upload is refused with the reason."""


class ScannerUnavailable(Exception):
    """The scanner could not be asked: the upload is refused (never stored unscanned by accident)."""


def no_scan(file) -> str:
    if not _warned["no_scan"]:
        logger.warning(
            "documents: no virus scanner is configured (JOBBTORG_DOCUMENT_SCANNER); documents are stored "
            "marked 'not scanned'"
        )
        _warned["no_scan"] = True
    return ScanResult.NOT_SCANNED


def reject_eicar(file) -> str:
    file.seek(0)
    tail = b""
    while chunk := file.read(CHUNK):
        if EICAR in tail + chunk:
            file.seek(0)
            raise Infected("EICAR-Test-Signature")
        tail = chunk[-len(EICAR) :]
    file.seek(0)
    return ScanResult.CLEAN


def clamd_scan(file) -> str:
    path = getattr(settings, "JOBBTORG_CLAMD_SOCKET", "")
    address = getattr(settings, "JOBBTORG_CLAMD_ADDRESS", "")
    try:
        if path:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(30)
            connection.connect(path)
        else:
            host, _, port = (address or "127.0.0.1:3310").rpartition(":")
            connection = socket.create_connection((host, int(port)), timeout=30)
        with connection:
            connection.sendall(b"zINSTREAM\0")
            file.seek(0)
            while chunk := file.read(CHUNK):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = connection.recv(4096).decode(errors="replace").strip("\0\n ")
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    finally:
        file.seek(0)
    if answer.endswith("OK"):
        return ScanResult.CLEAN
    if answer.endswith("FOUND"):
        raise Infected(answer.split(":", 1)[-1].removesuffix("FOUND").strip())
    raise ScannerUnavailable(answer)


def scan(file) -> str:
    """Run the configured scanner; its answer is one of ScanResult."""
    scanner = import_string(settings.JOBBTORG_DOCUMENT_SCANNER)
    result = scanner(file)
    file.seek(0)
    return ScanResult(result)
