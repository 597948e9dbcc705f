"""Log lines: one JSON object per event in production, a readable line in development.

Every line carries the request id and user id of the request (or job) it belongs to, taken
from context variables the request middleware sets; a job gets the id of the request that
enqueued it (kept in the cache for a day, keyed by the job's id), so one id follows an upload
from the web node into its thumbnail job on a worker.
"""

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("request_id", default="")
user_id: ContextVar[str] = ContextVar("user_id", default="")
# Fields a request's access line adds (`logger.info(..., extra={...})`).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms")
JOB_ORIGIN_SECONDS = 24 * 3600


class ContextFilter(logging.Filter):
    """Stamp every record with the current request id and user id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", "") or request_id.get()
        record.user_id = getattr(record, "user_id", "") or user_id.get()
        return True


def utc_time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class AccessLineFollows(logging.Filter):
    """On django.request: leave out Django's line for a response the portal's access line
    will write (connect/ops/middleware.py), so that a 5xx is logged once, with its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return not getattr(request, "access_line_follows", False)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": utc_time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
            "user_id": getattr(record, "user_id", "") or user_id.get(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-12-01T23:14:36.123+00:00 INFO connect.request [req-id user] message`."""

    def format(self, record: logging.LogRecord) -> str:
        where = " ".join(
            part
            for part in (getattr(record, "request_id", ""), getattr(record, "user_id", ""))
            if part
        )
        text = f"{utc_time(record)} {record.levelname} {record.name}"
        text += f" [{where}] " if where else " "
        text += record.getMessage()
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        return text


def logging_config(*, fmt: str, level: str) -> dict:
    formatter = (
        "connect.ops.logs.JsonFormatter" if fmt == "json" else "connect.ops.logs.TextFormatter"
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "connect.ops.logs.ContextFilter"},
            "access_line_follows": {"()": "connect.ops.logs.AccessLineFollows"},
        },
        "formatters": {"portal": {"()": formatter}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "portal",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django_tasks": {"level": "WARNING"},
            "django_tasks_db": {"level": "WARNING"},
            # The request middleware writes one access line per request, a 5xx's with its
            # traceback; Django's own "Not Found: /x" and "Internal Server Error: /x" lines
            # would double it.
            "django.request": {"level": "ERROR", "filters": ["access_line_follows"]},
            "gunicorn.error": {"level": level, "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
    }


def _origin_key(job_id) -> str:
    return f"job-origin:{job_id}"


def remember_job_origin(sender, task_result, **kwargs) -> None:
    """At enqueue: note which request (and user) asked for this job."""
    if not request_id.get():
        return
    from django.core.cache import cache

    origin = {"request_id": request_id.get(), "user_id": user_id.get()}
    cache.set(_origin_key(task_result.id), origin, JOB_ORIGIN_SECONDS)
    logging.getLogger("connect.jobs").info(
        "job %s enqueued (%s)", task_result.id, task_result.task.module_path
    )


def adopt_job_origin(sender, task_result, **kwargs) -> None:
    """In the worker, as the job starts: its lines carry the id of the request behind it."""
    from django.core.cache import cache

    origin = cache.get(_origin_key(task_result.id)) or {}
    request_id.set(origin.get("request_id", "") or f"job-{task_result.id}")
    user_id.set(origin.get("user_id", ""))


def release_job_origin(sender, task_result, **kwargs) -> None:
    request_id.set("")
    user_id.set("")
