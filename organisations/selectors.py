"""Reads on organisations and their members."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from organisations.models import Invitation, Membership, Organisation

User = get_user_model()


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
