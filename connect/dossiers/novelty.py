"""Novelties ("nouveautés"): what a user has not seen yet on a dossier, per user.

A dossier is a novelty for a user when the firm or the core system added a document after the
user last looked at the documents (`Dossier.last_document_at > DossierSeen.documents_seen_at`,
or no seen row at all), or a message after the user last read the messages.

Who does what:
- whoever adds a document or a message for the garage sets `Dossier.last_document_at` /
  `Dossier.last_message_at` (documents, messaging, API);
- the documents and messaging pages call `mark_documents_seen` / `mark_messages_seen` when the
  user has been shown them;
- the list (`connect.dossiers.queries`) computes the flags with `with_novelty(queryset, user)`.
"""

from datetime import datetime

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from connect.dossiers.models import DossierSeen
from connect.dossiers.touch import touch_user


def mark_documents_seen(user, dossier, *, at: datetime | None = None) -> None:
    """The user has been shown the dossier's documents as of `at` (default: now)."""
    _mark(user, dossier, "documents_seen_at", at)


def mark_messages_seen(user, dossier, *, at: datetime | None = None) -> None:
    """The user has been shown the dossier's messages as of `at` (default: now)."""
    _mark(user, dossier, "messages_seen_at", at)


def _mark(user, dossier, field: str, at: datetime | None) -> None:
    if not user.is_authenticated:
        return
    # One INSERT … ON CONFLICT DO UPDATE: atomic, and two concurrent requests of the same user
    # cannot collide on the (user, dossier) unique constraint.
    DossierSeen.objects.bulk_create(
        [DossierSeen(user=user, dossier=dossier, **{field: at or timezone.now()})],
        update_conflicts=True,
        unique_fields=["user", "dossier"],
        update_fields=[field],
    )
    touch_user(user.pk)


def _unseen(last: str, seen: str) -> Q:
    return Q(**{f"{last}__isnull": False}) & (
        Q(**{f"my_seen__{seen}__isnull": True}) | Q(**{f"{last}__gt": F(f"my_seen__{seen}")})
    )


def new_documents_q() -> Q:
    """Condition on a queryset passed through `with_seen` (joined as `my_seen`)."""
    return _unseen("last_document_at", "documents_seen_at")


def new_messages_q() -> Q:
    return _unseen("last_message_at", "messages_seen_at")


def novelty_q() -> Q:
    return new_documents_q() | new_messages_q()


def with_seen(queryset: QuerySet, user) -> QuerySet:
    """Join the user's own seen row (at most one per dossier) as `my_seen`."""
    return queryset.annotate(
        my_seen=FilteredRelation("seen_by", condition=Q(seen_by__user_id=user.pk))
    )


def _unseen_by(user, last: str, seen: str) -> ExpressionWrapper:
    """`last` is set and the user has no seen row at or after it (same rule as `_unseen`)."""
    caught_up = DossierSeen.objects.filter(
        user_id=user.pk, dossier_id=OuterRef("pk"), **{f"{seen}__gte": OuterRef(last)}
    )
    return ExpressionWrapper(
        Q(**{f"{last}__isnull": False}) & ~Exists(caught_up), output_field=BooleanField()
    )


def with_novelty(queryset: QuerySet, user) -> QuerySet:
    """Annotate `has_new_documents`, `has_new_messages` for `user`, in the same query.

    As correlated subqueries rather than a join: PostgreSQL evaluates them after the sort and
    the LIMIT, for the 50 rows of the page only, instead of joining the user's seen rows to
    every dossier that a sort by another column has to read.
    """
    return queryset.annotate(
        has_new_documents=_unseen_by(user, "last_document_at", "documents_seen_at"),
        has_new_messages=_unseen_by(user, "last_message_at", "messages_seen_at"),
    )


def is_novelty() -> Q:
    """Condition on a queryset passed through `with_novelty`."""
    return Q(has_new_documents=True) | Q(has_new_messages=True)
