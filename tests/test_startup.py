"""Start-up time: heavy libraries are imported where they are used, so a gunicorn worker (and every test
process) is ready in seconds (issue 12 "Start-up and test time", issue 15 "Worker start").

Both tests start a fresh interpreter: the test process itself has long since imported everything."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# Imported where used, never by the URL conf: each costs from a tenth of a second (plotly, reportlab) to
# seconds (statsmodels pulls in scipy and pandas). numpy (~0.05 s) is the matching engine's core and stays.
HEAVY = ("statsmodels", "scipy", "pandas", "patsy", "formulaic", "plotly", "reportlab", "openpyxl", "faker")
READY_SECONDS = 3.0

URL_CONF_PROBE = """
import importlib, json, sys, time
t0 = time.perf_counter()
import django
django.setup()
t1 = time.perf_counter()
from django.conf import settings
importlib.import_module(settings.ROOT_URLCONF)
t2 = time.perf_counter()
print(json.dumps({"setup": t1 - t0, "urlconf": t2 - t1, "modules": sorted(sys.modules)}))
"""


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REPORTING_"))}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def test_the_url_conf_imports_no_heavy_library(capsys):
    out = subprocess.run(
        [sys.executable, "-c", URL_CONF_PROBE],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="jobbtorg.settings.test"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = sorted({name.split(".")[0] for name in probe["modules"]} & set(HEAVY))
    with capsys.disabled():
        print(f"\n[startup] django.setup() {probe['setup']:.2f} s, URL conf import {probe['urlconf']:.2f} s")
    assert not loaded, (
        f"importing the URL conf imported {loaded}: import them inside the function that uses them "
        "(see reporting/comparison.py)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and its children (gunicorn's master and workers), from /proc."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0
        for each in [pid, *map(int, children)]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    except (OSError, ValueError, IndexError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def _start_gunicorn(tmp_path: Path) -> tuple[float | None, float | None, str]:
    """Start gunicorn (production settings, one worker) and wait for the first answer of /health/: the wall
    seconds it took (None when gunicorn exited or never answered), the CPU seconds gunicorn spent until then,
    and gunicorn's log."""
    port = _free_port()
    env = _env(
        DJANGO_SETTINGS_MODULE="jobbtorg.settings.production",
        DJANGO_SECRET_KEY="worker-start-test-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        JOBBTORG_REQUIRE_2FA="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'health.sqlite3'}",  # /health/ only asks the database for 1
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("w")
    start = time.perf_counter()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wall = cpu = None
    try:
        while time.perf_counter() - start < 60 and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                    assert json.load(response)["status"] == "ok"
                    wall = time.perf_counter() - start
                    cpu = _cpu_seconds(server.pid)
                    break
            except OSError:
                time.sleep(0.05)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return wall, cpu, log_path.read_text()


def test_a_gunicorn_worker_is_ready_within_three_seconds(tmp_path, capsys):
    """From starting gunicorn to the first answer of /health/ (the worker resolves the URL conf on its first
    request). The machine is shared and the suite runs in parallel, so the limit holds for the CPU time
    gunicorn spent (master and worker), which load does not stretch; the wall time is printed beside it and
    must stay far from gunicorn's boot timeout."""
    if shutil.which("gunicorn", path=str(BIN)) is None:
        pytest.skip("gunicorn is not installed in this virtualenv")
    wall, cpu, log = _start_gunicorn(tmp_path)
    if wall is None:
        if "Connection in use" in log or "Permission denied" in log or "Can't connect" in log:
            pytest.skip(f"gunicorn could not bind: {log[-300:]}")
        pytest.fail(f"gunicorn did not answer /health/:\n{log[-2000:]}")
    with capsys.disabled():
        cpu_text = "n/a" if cpu is None else f"{cpu:.2f} s"
        print(f"\n[startup] gunicorn answered /health/ {wall:.2f} s after start (CPU {cpu_text})")
    assert (wall if cpu is None else cpu) < READY_SECONDS
    assert wall < 20, "far too slow to start: gunicorn's boot timeout would kill workers under load"
