"""Small response helpers shared by the views of every app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Invalid forms come back with this status and the form re-rendered; htmx is told to
# swap it (see the htmx-config meta tag in base.html).
INVALID = 422


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str = "results",
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only its ``partial`` when htmx asks for a fragment."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted and partial:
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, form: Any
) -> HttpResponse:
    """Render a form page: 200 when it is fresh, 422 when it came back invalid."""
    status = INVALID if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)
