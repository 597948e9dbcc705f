from django import template

from connect.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, top_heading=2):
    """`{{ text|markdown }}`, or `{{ text|markdown:3 }}` to start headings at h3."""
    return render_markdown(text, top_heading=int(top_heading))
