"""The guide's subject table for the help page, read from the messaging's own table."""

from connect.documents.models import DocumentType
from connect.messaging.subjects import SUBJECTS, Need, RoutedRole

NEED_LABELS = {Need.REQUIRED: "obligatoire", Need.OPTIONAL: "facultatif", Need.ABSENT: "aucun"}


def subject_rows() -> list[dict]:
    rows = []
    for subject in SUBJECTS:
        if subject.automatic:
            typing = _automatic_typing(subject)
        else:
            labels = [DocumentType(value).label for value in subject.manual_types]
            typing = "au choix : " + " · ".join(labels) if labels else "—"
        rows.append(
            {
                "label": subject.label,
                "purpose": subject.purpose,
                "message": NEED_LABELS[subject.message],
                "documents": NEED_LABELS[subject.documents],
                "typing": typing,
                "routed_to": RoutedRole(subject.routed_to).label,
            }
        )
    return rows


def _automatic_typing(subject) -> str:
    kinds = [("photo", "image/jpeg"), ("PDF", "application/pdf")]
    found = [
        (kind, DocumentType(subject.type_for(ct)).label)
        for kind, ct in kinds
        if ct in subject.accepted_types
    ]
    if len({label for _, label in found}) == 1:
        return f"automatique : {found[0][1]}"
    return "automatique : " + " ; ".join(f"{kind} → {label}" for kind, label in found)
