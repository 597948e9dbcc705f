"""The portal's icons, inline SVG drawn with `currentColor`: no font has to hold a symbol (📄, ✉,
▲ rendered as empty boxes where the font lacked them), and each icon carries its text.

`icon(name, label)` is an image named `label` for assistive technology (with a tooltip);
`icon(name)` is decoration, hidden from it (the text beside it says the same).
"""

from html import escape

_PATHS = {
    # A sheet with a folded corner and two lines of text.
    "document": '<path d="M6 2h8l5 5v15H6z" fill="none" stroke="currentColor" stroke-width="2" '
    'stroke-linejoin="round"/><path d="M14 2v5h5M9 13h7M9 17h7" fill="none" '
    'stroke="currentColor" stroke-width="2"/>',
    # An envelope.
    "message": '<rect x="2.5" y="5" width="19" height="14" rx="1.5" fill="none" '
    'stroke="currentColor" stroke-width="2"/><path d="M3 6l9 7 9-7" fill="none" '
    'stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
    "dot": '<circle cx="12" cy="12" r="6" fill="currentColor"/>',
    "sort-up": '<path d="M12 6l7 11H5z" fill="currentColor"/>',
    "sort-down": '<path d="M12 18L5 7h14z" fill="currentColor"/>',
}
NAMES = frozenset(_PATHS)


def icon(name: str, label: str = "", *, size: int = 16, css: str = "icon") -> str:
    paths = _PATHS[name]
    box = f'class="{css}" width="{size}" height="{size}" viewBox="0 0 24 24" focusable="false"'
    if not label:
        return f'<svg {box} aria-hidden="true">{paths}</svg>'
    text = escape(label)
    return f'<svg {box} role="img" aria-label="{text}"><title>{text}</title>{paths}</svg>'
