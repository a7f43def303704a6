"""The address of the person behind a request, through the proxies we trust.

Behind a reverse proxy every request comes from the proxy's own address: lockouts and
rate limits keyed on REMOTE_ADDR would then put every person under one key. Each proxy
appends the address that connected to it to X-Forwarded-For, so with N trusted proxies
the chain ``X-Forwarded-For entries + [REMOTE_ADDR]`` ends with N proxy addresses and
the entry just before them is the client. Anything further left was written by the
client itself and is never trusted.

django-ipware (which django-axes can use) was tried: its strict mode answers None for
the most common setup, one nginx sending ``X-Forwarded-For: <client>``, which would put
everyone under one key again. This function is short enough to be read and tested.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's IP address, as seen by the outermost trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    # Fewer entries than proxies: the request skipped a proxy; take the farthest one.
    candidate = chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    return candidate if _valid(candidate) else remote
