"""Reads on organisations and their members."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from outreach.models import Invitation, Membership, Organisation
from territories.models import Partner, Place, Territory


def member_list(*, organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__first_name", "user__email")
    )


def pending_invitations(*, organisation: Organisation) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            organisation=organisation,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )


def directory_counts(*, organisation: Organisation) -> dict[str, int]:
    """How many live territories, places and partners the organisation has."""
    live = Q(archived_at__isnull=True)
    counts = {}
    for key, model in (("territories", Territory), ("places", Place), ("partners", Partner)):
        counts[key] = model.objects.filter(live, organisation=organisation).aggregate(
            n=Count("pk")
        )["n"]
    return counts
