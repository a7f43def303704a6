"""Secret tokens in links (invitations, calendar feeds): only their hash is stored."""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    """The SHA-256 of a random URL token: a leaked database does not leak usable links."""
    return hashlib.sha256(token.encode()).hexdigest()
