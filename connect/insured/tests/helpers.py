import re

from django.core import mail

from connect.testing import run_tasks


def follow(dossier, email: str, **fields) -> None:
    """The core system names `email` as the dossier's insured."""
    dossier.insured_email = email
    for name, value in fields.items():
        setattr(dossier, name, value)
    dossier.save()


def mails_to(address: str) -> list:
    run_tasks()
    return [message for message in mail.outbox if message.to == [address]]


def path_in(message) -> str:
    """The portal path of the link in an e-mail."""
    link = re.search(r"https?://\S+", message.body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]
