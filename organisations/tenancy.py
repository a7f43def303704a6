"""The current organisation of a request, and the access checks built on it.

Every page works inside one organisation: the member's choice, kept in the session,
or their first active membership. Views get objects through ``get_for_org`` so that
another organisation's object answers 404, and check roles with ``member_required``
so that a role without the right answers 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from organisations import two_factor
from organisations.models import ALL_ROLES, DIRECTORY_EDITORS, MEMBER_ADMINS, Membership, Role

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from organisations.models import Organisation

SESSION_KEY = "organisation_id"
M = TypeVar("M", bound=Model)


class OrgRequest(HttpRequest):
    """What our middleware adds to a request (for type checkers)."""

    htmx: HtmxDetails
    memberships: list[Membership]
    membership: Membership | None
    organisation: Organisation | None


class CurrentOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.memberships = []
        request.membership = None
        request.organisation = None
        if request.user.is_authenticated:
            # list() runs the one query now; templates and views reuse the result.
            memberships = list(
                Membership.objects.filter(user=request.user, is_active=True)
                .select_related("organisation")
                .annotate(has_second_factor=two_factor.second_factor_annotation())
                .order_by("organisation__name")
            )
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organisation_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
        return self.get_response(request)


def organisation_context(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    return {
        "organisation": getattr(request, "organisation", None),
        "membership": membership,
        "memberships": getattr(request, "memberships", []),
        "can_edit_directory": role in DIRECTORY_EDITORS,
        "can_admin_members": role in MEMBER_ADMINS,
        "can_set_organisation": role == Role.MANAGER,
        # A manager of several organisations (a federation) compares them side by side.
        # On the second-step pages, the app's links would only bounce back.
        "two_factor_held": getattr(request, "two_factor_held", False),
        "manages_several": sum(m.role == Role.MANAGER for m in getattr(request, "memberships", []))
        > 1,
    }


def member_required(roles: Iterable[str] = ALL_ROLES) -> Callable:
    """Let in active members of the current organisation whose role is in ``roles``."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.membership is None:
                return redirect("no_organisation")
            if request.membership.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_for_org(queryset: type[M] | QuerySet[M], request: OrgRequest, **lookup: Any) -> M:
    """The object of the current organisation matching ``lookup``, or 404."""
    return get_object_or_404(queryset, organisation=request.organisation, **lookup)
