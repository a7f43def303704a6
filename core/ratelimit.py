"""Rate limits and concurrency slots on Django's cache (Redis in production).

``allow`` counts hits in fixed windows: cheap (one ``add`` or ``incr``), shared by every
app server when the cache is Redis. ``slot`` caps how many slow jobs of one kind run at
once (report exports), so that a burst cannot hold every worker.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PREFIX = "rate"


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit on ``scope``/``key``; False once more than ``limit`` in ``window`` s."""
    bucket = f"{PREFIX}:{scope}:{key}:{int(time.time()) // window}"
    if cache.add(bucket, 1, timeout=window):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window)
        return True
    return count <= limit


@contextmanager
def slot(scope: str, key: str, *, size: int, timeout: int) -> Iterator[bool]:
    """Take one of ``size`` slots of ``scope``/``key`` for the block; yields False if full.

    A slot left by a worker that died is freed after ``timeout`` seconds.
    """
    taken = None
    for index in range(size):
        name = f"{PREFIX}:slot:{scope}:{key}:{index}"
        if cache.add(name, 1, timeout=timeout):
            taken = name
            break
    try:
        yield taken is not None
    finally:
        if taken is not None:
            cache.delete(taken)


def refused(request: HttpRequest, message: str) -> HttpResponse:
    """The page that says why the request was not carried out: status 429."""
    response = render(request, "rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response
