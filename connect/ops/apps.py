from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "connect.ops"
    label = "ops"

    def ready(self) -> None:
        from django.core.signals import got_request_exception
        from django_tasks.signals import task_enqueued, task_finished, task_started

        from connect.ops import checks, logs, middleware  # noqa: F401 - checks registers them

        task_enqueued.connect(logs.remember_job_origin, dispatch_uid="ops-job-origin")
        task_started.connect(logs.adopt_job_origin, dispatch_uid="ops-job-adopt")
        task_finished.connect(logs.release_job_origin, dispatch_uid="ops-job-release")
        got_request_exception.connect(middleware.keep_exception, dispatch_uid="ops-exception")
