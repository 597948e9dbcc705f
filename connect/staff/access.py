from django.db.models import Case, IntegerField, Value, When

from connect.accounts.models import Garage, Role, User
from connect.lib.http import get_or_404


def garages_for_staff(user):
    """The garages a staff member works: their unit's (everything for an administrator)."""
    if not (user.is_authenticated and user.is_firm_staff):
        return Garage.objects.none()
    return Garage.objects.visible_to(user)


def own_first(garages, user):
    """An expert's own garages come first, then the rest of the unit, by name."""
    mine = Case(
        When(expert_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return garages.annotate(not_mine=mine).order_by("not_mine", "name")


def access_garage_member(garage: Garage, pk) -> User:
    """A repairer account of this garage, or a 404."""
    return get_or_404(User.objects.all(), pk=pk, role=Role.REPAIRER, memberships__garage=garage)


def can_manage_accounts(user) -> bool:
    """Experts and managers create and disable repairer accounts (advisors do not)."""
    return user.is_admin or user.role in (Role.EXPERT, Role.MANAGER)
