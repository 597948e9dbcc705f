from django import template

from connect.updates.window import updates_to_show

register = template.Library()


@register.inclusion_tag("updates/_window.html", takes_context=True)
def updates_window(context):
    request = context.get("request")
    updates = updates_to_show(request) if request is not None else []
    return {"updates": updates, "request": request}
