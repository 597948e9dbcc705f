"""Subscribing browsers, choosing what is pushed, and pushing (issue 18, "Notifications").

`notify` is called by the writers of the facts (messaging for a firm reply, an exam decided, a
published document) inside their transaction: it only enqueues, one job per user, so nothing
is pushed unless the change commits. The job sends (tasks.py).
"""

from django.db import transaction

from connect.push.models import PushKind, PushPreference, PushSubscription
from connect.push.tasks import send_push
from connect.push.vapid import push_enabled

MAX_SUBSCRIPTIONS_PER_USER = 10

# Each kind's title; the body names the dossier by its reference and nothing else.
TITLES = {
    PushKind.FIRM_REPLY: "Nouvelle réponse du cabinet",
    PushKind.EXAM_DECIDED: "Réponse à votre demande d'examen",
    PushKind.DOCUMENT_PUBLISHED: "Nouveau document",
    PushKind.CHECKLIST_REQUEST: "Complément demandé",
    PushKind.SUPPLEMENT_DECIDED: "Décision sur votre supplément",
    PushKind.INVOICE_DECIDED: "Facture payée ou refusée",
}


@transaction.atomic
def subscribe(
    *, user, endpoint: str, p256dh: str, auth: str, user_agent_label: str = ""
) -> PushSubscription:
    """Record this browser for `user` (an endpoint another login left here becomes this
    user's: the browser now belongs to whoever subscribed last). A first subscription turns
    every kind on: the click that subscribed was the opt-in, and each kind can be unticked."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent_label": user_agent_label[:120],
            "failures": 0,
        },
    )
    # Each browser costs a post per notice: the oldest go beyond a handful per user.
    keep = PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")
    stale = keep.values_list("pk", flat=True)[MAX_SUBSCRIPTIONS_PER_USER:]
    PushSubscription.objects.filter(pk__in=list(stale)).delete()
    if not PushPreference.objects.filter(user=user).exists():
        PushPreference.objects.bulk_create(
            [PushPreference(user=user, kind=kind, enabled=True) for kind in PushKind.values]
        )
    return subscription


@transaction.atomic
def unsubscribe(*, subscription: PushSubscription) -> None:
    subscription.delete()


@transaction.atomic
def set_preferences(*, user, kinds: set[str]) -> None:
    """`kinds` on, every other kind off."""
    PushPreference.objects.bulk_create(
        [PushPreference(user=user, kind=kind, enabled=kind in kinds) for kind in PushKind.values],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["enabled"],
    )


def payload(*, kind: str, dossier_reference: str, url: str) -> dict:
    return {
        "kind": kind,
        "title": TITLES[PushKind(kind)],
        "body": f"Dossier {dossier_reference}",
        "url": url,
        # One notification per dossier and kind on the device: a newer one replaces it.
        "tag": f"{kind}:{dossier_reference}",
    }


def notify(*, user_ids, kind: str, dossier_reference: str, url: str) -> int:
    """Enqueue one push job per user who opted in for `kind` and has a subscribed browser;
    returns how many. `url` is a path of the portal (the dossier or its thread)."""
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("a push opens a page of the portal: give its path")
    if not push_enabled():
        return 0
    wanting = sorted(
        set(
            PushPreference.objects.filter(
                user_id__in=list(user_ids),
                kind=kind,
                enabled=True,
                user__is_active=True,
                user__push_subscriptions__isnull=False,
            ).values_list("user_id", flat=True)
        )
    )
    message = payload(kind=kind, dossier_reference=dossier_reference, url=url)
    for user_id in wanting:
        send_push.enqueue(user_id=user_id, kind=kind, payload=message)
    return len(wanting)
