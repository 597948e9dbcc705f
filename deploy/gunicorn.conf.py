"""gunicorn for Connect Réparateurs: `gunicorn --config deploy/gunicorn.conf.py connect.wsgi`.

Behind a TLS proxy that buffers request bodies (README "Production"), so a 20 MB upload from a
slow workshop link reaches gunicorn at loopback speed. Threads all the same: should a body
arrive slowly anyway, it occupies one thread, and the worker keeps telling the master it is
alive (a sync worker would be killed at `timeout` in the middle of the upload).
"""

import os
import shutil
from pathlib import Path

from connect.ops.logs import logging_config

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # the proxy's side only
workers = int(os.environ.get("WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# A worker that does not report for this long is restarted (it does not bound a request).
timeout = 120
# SIGTERM: stop accepting, let requests in flight finish for up to this long.
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so slow leaks cannot accumulate.
max_requests = 2000
max_requests_jitter = 200
# The portal writes its own access line (connect.ops.middleware), with the request id.
accesslog = None
logconfig_dict = logging_config(
    fmt=os.environ.get("LOG_FORMAT", "json"), level=os.environ.get("LOG_LEVEL", "INFO")
)
# Only the proxy's X-Forwarded-* are trusted, and the proxy is on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    # In the master, for every worker that ended (killed ones included).
    shutil.rmtree(UPLOADS / str(worker.pid), ignore_errors=True)
    # Metrics summed over workers (PROMETHEUS_MULTIPROC_DIR): forget a dead worker's gauges.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# Uploads spool into a folder per worker, removed when the worker exits, whatever its end:
# a worker killed mid-upload (timeout, out of memory) leaves no temporary file behind.
UPLOADS = Path(os.environ.get("VAR_DIR", "var")) / "uploads"


def post_fork(server, worker):
    folder = UPLOADS / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["FILE_UPLOAD_TEMP_DIR"] = str(folder)  # read by connect/settings.py
