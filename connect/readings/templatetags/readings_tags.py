from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.inclusion_tag("readings/_verdict.html")
def reading_verdict(document):
    """What was read on a guided-capture photo, for the expert (nothing for other documents).
    The caller selects `reading` with the documents: no query per row."""
    try:
        reading = document.reading
    except ObjectDoesNotExist:
        reading = None
    return {"reading": reading}
