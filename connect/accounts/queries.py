"""Who belongs to a garage, asked one way by every app that tells the garage something."""

from django.db.models import QuerySet

from connect.accounts.models import Garage, NotificationMode, Role, User


def repairers_of(garage: Garage | int, *, notified: bool = False) -> QuerySet[User]:
    """The garage's active repairers, by id; `notified`: only those who want e-mail (a user
    without a preference wants it at once)."""
    users = User.objects.filter(role=Role.REPAIRER, is_active=True, memberships__garage=garage)
    if notified:
        users = users.exclude(notification_preference__mode=NotificationMode.NONE)
    return users.order_by("pk")
