"""Text folding for searches that ignore accents and case."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents, for searches that ignore both.

    >>> fold("Clermont-l'Hérault ÉCOLE")
    "clermont-l'herault ecole"
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold().replace("œ", "oe").replace("æ", "ae")
