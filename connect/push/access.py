from django.http import Http404

from connect.push.models import PushSubscription


def access_subscription(user, *, endpoint: str = "", pk: int | None = None) -> PushSubscription:
    """The user's own subscription, by its endpoint or its id; anyone else's is a 404."""
    found = PushSubscription.objects.filter(user=user)
    found = found.filter(pk=pk) if pk is not None else found.filter(endpoint=endpoint)
    subscription = found.first() if (endpoint or pk is not None) else None
    if subscription is None:
        raise Http404
    return subscription
