"""What django-tasks-db lacks to survive crashes: a lease per running job, a delivery record."""

from django.db import models
from django_tasks_db.models import DBTaskResult


class Lease(models.Model):
    """A running job belongs to one worker until `expires_at`; the worker's heartbeat pushes it
    on, the reaper puts a job whose lease ran out back in the queue (or fails it)."""

    task = models.OneToOneField(
        DBTaskResult, on_delete=models.CASCADE, primary_key=True, related_name="lease"
    )
    worker_id = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "bail"

    def __str__(self) -> str:
        return f"{self.task_id} → {self.worker_id} ({self.expires_at:%H:%M:%S})"


class WorkerBeat(models.Model):
    """A worker's last sign of life, written at each of its reaps (every half-lease), busy or
    idle: `/readyz` tells from it whether any worker is running at all."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = "signe de vie d'un worker"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.seen_at:%H:%M:%S})"


class Delivery(models.Model):
    """One outgoing effect (an e-mail, a webhook notice), recorded in the transaction that
    sends it: a job run a second time finds it and does not send again."""

    key = models.CharField(max_length=100, primary_key=True)
    sent_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "envoi"

    def __str__(self) -> str:
        return self.key


class FailedJob(DBTaskResult):
    """The admin's list of jobs that gave up (attempts spent or a permanent error)."""

    class Meta:
        proxy = True
        verbose_name = "tâche en échec"
        verbose_name_plural = "tâches en échec"
