from django import template

from connect.push.panel import panel_context

register = template.Library()


@register.inclusion_tag("push/_panel.html", takes_context=True)
def push_panel(context):
    """The push panel inside another page (messaging's preferences)."""
    return {**panel_context(context["request"]), "request": context["request"]}
