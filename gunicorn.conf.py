"""gunicorn settings for Jobbtorg (read from the working directory: run gunicorn from the repository root, or
pass `-c /path/to/gunicorn.conf.py`). Everything here can be overridden on the command line.

The access log never holds a personal identity number: `RedactingLogger` keeps the query's names but not
their values and replaces anything that looks like an identity number (docs/operations.md)."""

import os

pythonpath = "src"
wsgi_app = "jobbtorg.wsgi"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
logger_class = "jobbtorg.utils.access_log.RedactingLogger"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The default format with the referrer; %(r)s, %(U)s, %(q)s and %(f)s are redacted by the logger class.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (the Procfile's processes share one), a finished worker's live gauges go
    away with it (utils/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
