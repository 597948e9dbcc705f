from django import template
from django.utils.safestring import mark_safe

from connect.lib.icons import icon as svg_icon

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", size: int = 16):
    """`{% icon "dot" %}` (decoration) or `{% icon "document" "Nouveau document" %}` (an image)."""
    return mark_safe(svg_icon(name, label, size=size))  # noqa: S308 — built from constants, label escaped
