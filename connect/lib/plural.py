"""French plurals: 0 and 1 take the singular (`0 fichier supprimé`, `2 fichiers supprimés`)."""


def french_plural(count: int, suffix: str = "s") -> str:
    """The plural mark `count` asks for: `résultat{french_plural(n)}`."""
    return suffix if abs(count) >= 2 else ""


def counted(count: int, singular: str, plural: str = "") -> str:
    """`3 jetons révoqués`: the count and the words that agree with it (plural: singular + s)."""
    words = (plural or f"{singular}s") if abs(count) >= 2 else singular
    return f"{count} {words}"
