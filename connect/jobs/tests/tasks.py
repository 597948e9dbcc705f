"""Jobs for the queue's own tests (importable by path, as the worker needs)."""

import time

from django_tasks import task
from django_tasks.base import TaskContext

from connect.jobs.queue import Transient, send_once

CALLS: list[str] = []


@task()
def flaky(*, fail_times: int) -> str:
    CALLS.append("flaky")
    if CALLS.count("flaky") <= fail_times:
        raise Transient("not yet")
    return "done"


@task()
def broken() -> None:
    raise ValueError("a bug, not a passing failure")


@task()
def sleepy(*, seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


@task(takes_context=True)
def effect(context: TaskContext) -> bool:
    return send_once(f"test:{context.task_result.id}", lambda: CALLS.append("sent"))
