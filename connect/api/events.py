"""The outgoing feed: call `record_event` inside the transaction of the change it reports."""

from connect.api.models import Event


def record_event(kind: str, *, payload: dict, garage=None, dossier=None) -> Event:
    return Event.objects.create(kind=kind, payload=payload, garage=garage, dossier=dossier)
