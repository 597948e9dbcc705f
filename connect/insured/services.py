"""Signing up and logging in by e-mail: what is sent, to whom, and never a hint on the page.

The page answers the same whatever the address (a dossier's insured, a stranger, a repairer,
staff); the e-mail alone says what happened, and only to an address that has a dossier to follow.
Requests are counted per address and per client address (connect/lib/throttle.py): past
either limit nothing is sent, and the page is still the same.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from connect.accounts.models import Role, User, normalize_email
from connect.api.events import record_event
from connect.dossiers.models import Dossier
from connect.dossiers.touch import touch_dossiers
from connect.insured.access import followable_by
from connect.insured.models import InsuredQuestion, InsuredSurvey
from connect.insured.tokens import login_link_token, signup_token
from connect.lib.throttle import Rate, Throttled, consume
from connect.mail import queue_email


def _within_limits(kind: str, email: str, ip: str) -> bool:
    try:
        consume(
            (
                f"insured-{kind}-address",
                email,
                Rate(settings.INSURED_LINKS_PER_ADDRESS_PER_HOUR, 3600),
            ),
            (f"insured-{kind}-ip", ip, Rate(settings.INSURED_LINKS_PER_IP_PER_HOUR, 3600)),
        )
    except Throttled:
        return False
    return True


def _link(name: str, user: User, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.PORTAL_URL + reverse(name, kwargs={"uidb64": uid, "token": token})


def _send_signup(email: str) -> bool:
    """The sign-up link to `email`, creating the insured account if there is none; an account
    of another role gets the e-mail that says why it cannot be one. False when nothing went."""
    user = User.objects.select_for_update().filter(email=email).first()
    if user is not None and not user.is_insured:
        queue_email([email], "insured/email/signup_other_role", {})
        return False
    if user is None:
        user = User.objects.create_user(email, None, role=Role.INSURED)
    elif not user.is_active:
        return False  # an account the firm turned off gets nothing
    link = _link("insured:signup_confirm", user, signup_token.make_token(user))
    queue_email([email], "insured/email/signup", {"link": link})
    return True


@transaction.atomic
def request_signup(*, email: str, ip: str) -> None:
    """An insured asks to sign up: a link to choose a password (24 h, single use) if the
    address has a dossier to follow; an account of another role gets an e-mail saying it
    cannot become an insured account (one person, one role per address)."""
    email = normalize_email(email)
    if not _within_limits("signup", email, ip) or not followable_by(email).exists():
        return
    _send_signup(email)


@transaction.atomic
def invite_insured(*, dossier: Dossier) -> bool:
    """The firm (re)sends the sign-up link to the dossier's insured; False when the dossier
    cannot be followed (no address, access off, archived too long) or the address is another
    role's (that person is told by e-mail)."""
    if not followable_by(dossier.insured_email).filter(pk=dossier.pk).exists():
        return False
    return _send_signup(normalize_email(dossier.insured_email))


@transaction.atomic
def set_insured_access(*, dossier: Dossier, allowed: bool, by: User) -> None:
    """The firm opens or cuts the insured's access to a dossier at once; the core system hears
    it from the feed (`dossier.insured_access`) so that its next write carries the same value."""
    Dossier.objects.filter(pk=dossier.pk).update(insured_access=allowed)
    dossier.insured_access = allowed
    payload = {"insured_access": allowed, "by": by.email}
    record_event("dossier.insured_access", payload=payload, dossier=dossier)


def request_login_link(*, email: str, ip: str) -> None:
    """A one-time login link (15 min) for an active insured account with a dossier to follow."""
    email = normalize_email(email)
    if not _within_limits("login-link", email, ip) or not followable_by(email).exists():
        return
    user = User.objects.filter(email=email, role=Role.INSURED, is_active=True).first()
    if user is None:
        return
    link = _link("insured:login_link_open", user, login_link_token.make_token(user))
    queue_email([email], "insured/email/login_link", {"link": link})


@transaction.atomic
def ask_question(*, dossier: Dossier, author: User, body: str) -> InsuredQuestion:
    """The insured writes to the firm: the question waits on the firm from now (the ball)."""
    question = InsuredQuestion.objects.create(dossier=dossier, author=author, body=body)
    touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
    return question


@transaction.atomic
def answer_question(*, question: InsuredQuestion, by: User, answer: str) -> None:
    """The advisor answers: the wait ends, the insured reads it on the dossier page."""
    question.answer, question.answered_by = answer, by
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    touch_dossiers([question.dossier_id])


class AlreadyAnswered(Exception):
    """The dossier's survey was answered already (once per dossier)."""


def answer_survey(*, dossier: Dossier, author: User, score: int, comment: str) -> InsuredSurvey:
    """The insured's one survey of the dossier; a score of 6 or less puts "Assuré à rappeler"
    in the advisors' inbox with a due date (insured/waits.py)."""
    try:
        with transaction.atomic():
            survey = InsuredSurvey.objects.create(
                dossier=dossier, author=author, score=score, comment=comment
            )
            touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
    except IntegrityError:  # answered already (twice posted, or two tabs)
        raise AlreadyAnswered from None
    return survey


@transaction.atomic
def mark_called_back(*, survey: InsuredSurvey, by: User) -> None:
    survey.called_back_at, survey.called_back_by = timezone.now(), by
    survey.save(update_fields=["called_back_at", "called_back_by"])
    touch_dossiers([survey.dossier_id])
