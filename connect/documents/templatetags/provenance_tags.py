from django import template

from connect.documents import provenance

register = template.Library()


@register.simple_tag
def provenance_warnings(document, dossier) -> list[str]:
    """The flags of a captured photo against its dossier (provenance.warnings)."""
    return provenance.warnings(document, mission_on=dossier.mission_received_on)


@register.filter
def plate_warning(document, dossier_plate: str) -> str:
    """The warning of a photo whose plate, as read by the repairer, is not the dossier's."""
    return provenance.plate_warning(document, dossier_plate or "")
