"""The one door to a thread: the thread, or a 404.

A repairer (or anyone) reaches a thread through its dossier's URL: the caller opens the dossier
with `connect.dossiers.access.access_dossier` and passes it. The firm's workspace names the
thread alone: it is looked up in the user's thread scope, then its dossier through the dossier
door. Another garage's or another unit's thread is a 404 either way.
"""

from connect.accounts.models import Role
from connect.dossiers.access import access_dossier
from connect.lib.http import get_or_404
from connect.messaging.models import Thread


def threads_in_scope(user):
    """Threads this staff member may open and act on (wider than the inbox for managers)."""
    threads = Thread.objects.all()
    if not (user.is_authenticated and user.is_active and user.is_firm_staff):
        return threads.none()
    if user.is_admin:
        return threads
    if user.unit_id is None:
        return threads.none()
    threads = threads.filter(unit_id=user.unit_id)
    if user.role == Role.MANAGER:
        return threads
    return threads.filter(routed_role=user.role)


def access_thread(user, thread_code, *, dossier=None) -> Thread:
    """A thread of `dossier` (already opened by `access_dossier`), or without a dossier one of
    the user's thread scope with its dossier opened by `access_dossier`; else a 404 (another
    dossier's thread under this dossier's URL included)."""
    if dossier is not None:
        threads = Thread.objects.filter(dossier=dossier)
    else:
        threads = (
            threads_in_scope(user)
            .select_related("dossier__garage__unit", "dossier__expert", "dossier__advisor")
            .select_related("routed_to")
        )
    thread = get_or_404(threads, code=thread_code)
    # The one door to a dossier, for the thread's dossier too.
    thread.dossier = dossier if dossier is not None else access_dossier(user, thread.dossier.code)
    return thread
