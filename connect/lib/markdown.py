"""Markdown written by staff, rendered inert: no raw HTML, links only http/https/mailto.

Two layers: markdown-it with HTML disabled never emits the author's tags, and nh3 then keeps
only an allow-list of tags and attributes, so a bug in either layer alone is not an injection.
Use `render_markdown(text)` in Python or `{{ text|markdown }}` after `{% load markdown %}`.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

LINK_SCHEMES = ("http://", "https://", "mailto:")
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "hr",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}


def _is_allowed_link(url: str) -> bool:
    return url.strip().lower().startswith(LINK_SCHEMES)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # remote images would break the CSP and leak the reader's address
    # Refused links stay as plain text (markdown-it documents overriding this method).
    md.validateLink = _is_allowed_link  # type: ignore[method-assign]
    return md


_MD = _parser()


def render_markdown(text: str, *, top_heading: int = 2) -> SafeString:
    """HTML for `text`; its highest heading becomes `top_heading`, under the page's h1."""
    tokens = _MD.parse(text or "")
    headings = [t for t in tokens if t.type in ("heading_open", "heading_close")]
    if headings:
        shift = top_heading - min(int(t.tag[1]) for t in headings)
        for token in headings:
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"
    html = _MD.renderer.render(tokens, _MD.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
