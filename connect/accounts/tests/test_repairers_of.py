import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from connect.accounts.models import NotificationMode, NotificationPreference, User
from connect.accounts.queries import repairers_of


def test_repairers_of_gives_the_garage_s_active_repairers(world):
    User.objects.filter(pk=world.colleague.pk).update(is_active=False)
    assert list(repairers_of(world.garage_a)) == [world.repairer]
    assert list(repairers_of(world.garage_b.pk)) == [world.other_repairer]
    assert not repairers_of(world.garage_c).exists()


def test_notified_leaves_out_who_chose_no_email(world):
    NotificationPreference.objects.create(user=world.repairer, mode=NotificationMode.NONE)
    NotificationPreference.objects.create(user=world.colleague, mode=NotificationMode.DAILY)
    assert list(repairers_of(world.garage_a, notified=True)) == [world.colleague]
    assert list(repairers_of(world.garage_a)) == [world.repairer, world.colleague]


@pytest.mark.django_db(transaction=True)
def test_moving_the_preference_to_accounts_keeps_every_row():
    # Back to before the move (messaging owns the table), a row written, then forward again.
    before = [("accounts", "0001_initial"), ("messaging", "0002_thread_due")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = old_apps.get_model("accounts", "User").objects.create(email="a@example.fr")
    old_apps.get_model("messaging", "NotificationPreference").objects.create(
        user_id=user.pk, mode="daily"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = NotificationPreference.objects.get(user_id=user.pk)
    assert moved.mode == NotificationMode.DAILY
    assert NotificationPreference._meta.db_table in connection.introspection.table_names()
    assert "messaging_notificationpreference" not in connection.introspection.table_names()
