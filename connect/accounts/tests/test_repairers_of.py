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
