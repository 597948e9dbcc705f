from django.http import Http404

from connect.accounts.models import Role
from connect.dossiers.access import access_dossier
from connect.lib.http import get_or_404
from connect.supplements.models import Supplement


def access_supplement(user, code, supplement_code) -> Supplement:
    """A supplement of a dossier `user` may reach (access_dossier), or a 404."""
    dossier = access_dossier(user, code)
    supplement = get_or_404(Supplement.objects.all(), code=supplement_code, dossier=dossier)
    supplement.dossier = dossier
    return supplement


def can_decide(user) -> bool:
    """Amounts are the expert's call (and the manager's, the administrator's): an advisor
    reads supplements but does not decide them."""
    return user.is_admin or user.role in (Role.EXPERT, Role.MANAGER)


def access_supplement_to_decide(user, code, supplement_code) -> Supplement:
    """A supplement `user` may decide, or a 404."""
    if not can_decide(user):
        raise Http404
    return access_supplement(user, code, supplement_code)
