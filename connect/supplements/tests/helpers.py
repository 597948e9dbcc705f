"""What the supplements' test modules share: the staff's decision form posted."""

from django.urls import reverse


def decide_url(supplement):
    kwargs = {"code": supplement.dossier.code, "supplement_code": supplement.code}
    return reverse("supplements:decide", kwargs=kwargs)


def decide(client, supplement, **fields):
    prefix = str(supplement.code)
    return client.post(decide_url(supplement), {f"{prefix}-{k}": v for k, v in fields.items()})
