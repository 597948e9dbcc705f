"""The one door of the insured's space: which dossiers an insured person may follow.

Computed from the dossier's current facts, nothing copied: the dossier's insured e-mail
(`Dossier.insured_email`, folded like a login) equals the account's login, the firm lets the
insured follow it (`insured_access`), and it is not archived or was archived less than
INSURED_ARCHIVE_READ_DAYS ago. A change of any of them through the API moves the access at
the next request. Anything else is a 404, as everywhere on the portal.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from connect.accounts.models import normalize_email
from connect.documents.models import Document
from connect.dossiers.models import Dossier, DossierQuerySet
from connect.insured.models import InsuredQuestion
from connect.lib.http import get_or_404


def followable_by(email: str) -> DossierQuerySet:
    """The dossiers the owner of `email` may follow (whether or not an account exists)."""
    email = normalize_email(email)
    if not email:
        return Dossier.objects.none()
    return Dossier.objects.filter(followable(), insured_email=email)


def followable(now=None) -> Q:
    """The rule on the dossier's side: the insured may follow it, and it is live or archived
    less than INSURED_ARCHIVE_READ_DAYS ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.INSURED_ARCHIVE_READ_DAYS)
    return Q(insured_access=True) & (Q(archived=False) | Q(archived_at__gte=cutoff))


def followed_dossiers(user) -> DossierQuerySet:
    """An insured account's dossiers; nothing for anyone else (staff and repairers included)."""
    if not (user.is_authenticated and user.is_active and user.is_insured):
        return Dossier.objects.none()
    return followable_by(user.email)


def access_followed_dossier(user, code) -> Dossier:
    """The insured's door to one dossier: theirs, or a 404."""
    return get_or_404(followed_dossiers(user).select_related("garage"), code=code)


def released_documents(dossier: Dossier):
    """What the firm released to the insured ("visible par l'assuré"), newest first."""
    return Document.objects.filter(dossier=dossier, released_to_insured=True).newest_first()


def access_released_document(user, code, document_code) -> Document:
    """A document of the insured's dossier that the firm released to them, or a 404."""
    dossier = access_followed_dossier(user, code)
    document = get_or_404(released_documents(dossier), code=document_code)
    document.dossier = dossier
    return document


def access_staff_question(user, question_code) -> InsuredQuestion:
    """The firm's door to an insured's question: on a dossier the staff member sees, or a 404."""
    questions = InsuredQuestion.objects.filter(dossier__in=Dossier.objects.visible_to(user))
    return get_or_404(questions.select_related("dossier"), code=question_code)
