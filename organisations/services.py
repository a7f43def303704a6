"""Writes on organisations, memberships and invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tokens import hash_token
from organisations import journal
from organisations.models import Invitation, JournalAction, Membership, Organisation, Role

User = get_user_model()


def roles_assignable_by(membership: Membership) -> list[str]:
    """A coordinator may give the roles up to coordinator; only a manager makes managers."""
    if membership.role == Role.MANAGER:
        return list(Role.values)
    return [Role.VOLUNTEER, Role.COORDINATOR]


def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: Membership,
    accept_url_for,
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link; returns it with the raw token."""
    if role not in roles_assignable_by(invited_by):
        raise PermissionDenied
    email = User.objects.normalize_email(email).lower()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by.user,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    journal.record(
        organisation=organisation,
        actor=invited_by.user,
        action=JournalAction.INVITATION_SENT,
        target=email,
        details=Role(role).label,
    )
    context = {
        "organisation": organisation,
        "url": accept_url_for(token),
        "inviter": invited_by.user,
        "days": settings.INVITATION_VALID_DAYS,
    }
    send_mail(
        subject=_("Invitation to join %(organisation)s on Terrain")
        % {"organisation": organisation},
        message=render_to_string("organisations/invitation_email.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation for ``token`` if it can still be used."""
    return (
        Invitation.objects.filter(
            token_hash=hash_token(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("organisation")
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> Membership:
    """Use the invitation once: a conditional update makes a second use fail.

    Only the invited address may use it: a forwarded link does not let whoever holds
    it join with its role.
    """
    if not invitation_is_for(invitation, user):
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if claimed != 1:
        raise ValidationError(_("This invitation has already been used or has expired."))
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation,
        user=user,
        defaults={"role": invitation.role},
    )
    if not created:
        if not membership.is_active:
            membership.active_since = timezone.now()
        if membership.role != invitation.role:
            membership.role_since = timezone.now()
        membership.role = invitation.role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active", "active_since", "role_since"])
    journal.record(
        organisation=invitation.organisation_id,
        actor=user,
        action=JournalAction.INVITATION_ACCEPTED,
        target=invitation.email,
        details=Role(invitation.role).label,
    )
    return membership


def invitation_is_for(invitation: Invitation, user: AbstractBaseUser) -> bool:
    """Whether ``user`` is the person the invitation was sent to (by e-mail address)."""
    addresses = {(user.get_username() or "").strip().lower(), (user.email or "").strip().lower()}
    return invitation.email.strip().lower() in addresses


@transaction.atomic
def user_create_from_invitation(
    *, invitation: Invitation, first_name: str, password: str
) -> AbstractBaseUser:
    try:
        # A savepoint: two sign-ups sent at once with the same link race to create the
        # same username; the loser is told the link was used, not shown a server error.
        with transaction.atomic():
            user = User.objects.create_user(
                username=invitation.email,
                email=invitation.email,
                first_name=first_name,
                password=password,
            )
    except IntegrityError:
        raise ValidationError(_("This invitation has already been used or has expired.")) from None
    invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Membership | None = None) -> None:
    withdrawn = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if withdrawn:
        journal.record(
            organisation=invitation.organisation_id,
            actor=by.user if by else None,
            action=JournalAction.INVITATION_WITHDRAWN,
            target=invitation.email,
        )


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, is_active: bool, by: Membership
) -> Membership:
    if membership.pk == by.pk:
        raise ValidationError(_("You cannot change your own role or deactivate yourself."))
    if role not in roles_assignable_by(by) or (
        membership.role == Role.MANAGER and by.role != Role.MANAGER
    ):
        raise PermissionDenied
    before_role, was_active = membership.role, membership.is_active
    if is_active and not was_active:
        membership.active_since = timezone.now()
    if role != before_role:
        membership.role_since = timezone.now()
    membership.role = role
    membership.is_active = is_active
    membership.full_clean()
    membership.save(update_fields=["role", "is_active", "active_since", "role_since"])
    target = membership.user.email
    if role != before_role:
        journal.record(
            organisation=membership.organisation_id,
            actor=by.user,
            action=JournalAction.ROLE_CHANGED,
            target=target,
            details=f"{Role(before_role).label} → {Role(role).label}",
        )
    if is_active != was_active:
        journal.record(
            organisation=membership.organisation_id,
            actor=by.user,
            action=(
                JournalAction.MEMBER_REACTIVATED if is_active else JournalAction.MEMBER_DEACTIVATED
            ),
            target=target,
        )
    return membership


def organisation_update(*, organisation: Organisation, by: Membership, **values) -> Organisation:
    """Change an organisation's name and settings: its managers only."""
    if by.organisation_id != organisation.pk or by.role != Role.MANAGER:
        raise PermissionDenied
    label = lambda name: Organisation._meta.get_field(name).verbose_name  # noqa: E731
    changed = [
        f"{label(name)}: {getattr(organisation, name)} → {value}"
        for name, value in values.items()
        if getattr(organisation, name) != value
    ]
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save(update_fields=list(values))
        if changed:
            journal.record(
                organisation=organisation,
                actor=by.user,
                action=JournalAction.SETTINGS_CHANGED,
                details="; ".join(changed),
            )
    return organisation
