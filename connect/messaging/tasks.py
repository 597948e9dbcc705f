from django_tasks import task

from connect.messaging.notifications import send_daily_digests


@task()
def daily_digests() -> int:
    """Queued once a day by the scheduler (cron: `manage.py send_daily_digests`)."""
    return send_daily_digests()
