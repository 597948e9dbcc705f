from django import template

from connect.documents import provenance

register = template.Library()


@register.filter
def plate_warning(document, dossier_plate: str) -> str:
    """The warning of a photo whose plate, as read by the repairer, is not the dossier's."""
    return provenance.plate_warning(document, dossier_plate or "")
