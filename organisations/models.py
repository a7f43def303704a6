"""Organisations, their members and invitations, and who may do what."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")


# Who may do what. Views check these sets, never role names spread around.
DIRECTORY_EDITORS = frozenset({Role.COORDINATOR, Role.MANAGER})
MEMBER_ADMINS = frozenset({Role.COORDINATOR, Role.MANAGER})
ALL_ROLES = frozenset(Role)
# Who plans, edits and cancels outreach sessions.
PLANNERS = frozenset({Role.COORDINATOR, Role.MANAGER})


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    small_count_threshold = models.PositiveSmallIntegerField(
        _("small-count threshold"),
        default=11,
        help_text=_("In reports and exports, counts below this are shown as “< threshold”."),
    )
    two_factor_required = models.BooleanField(
        _("two-factor sign-in for coordinators and managers"),
        default=False,
        help_text=_(
            "Coordinators and managers must confirm each sign-in with a code from an "
            "authenticator app. Volunteers may turn it on for themselves."
        ),
    )
    return_cards_enabled = models.BooleanField(
        _("return cards"),
        default=False,
        help_text=_(
            "Hand out cards with a short random code, typed in at a later visit to link "
            "encounters. The code is the only link: no name, nothing else."
        ),
    )
    # CNIL référentiel for social action (délibération 2021-028): keep no longer than
    # needed. apply_retention empties older free text every night; figures stay.
    note_retention_months = models.PositiveSmallIntegerField(
        _("note retention (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "The free text of conversations, debriefs and observations older than this is "
            "emptied every night. Figures are kept."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Created by the outreach app; kept when the model moved here.
        db_table = "outreach_organisation"
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(note_retention_months__gte=1, note_retention_months__lte=60),
                name="organisation_note_retention_1_to_60",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # When the membership was last reactivated. What was handed out before (a calendar
    # link) does not come back with it: its users compare their own date with this one.
    active_since = models.DateTimeField(null=True, blank=True, editable=False)
    # When the role last changed: the same, for what only some roles may hand out (an
    # organisation-wide calendar link made by a planner).
    role_since = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Created by the outreach app; kept when the model moved here.
        db_table = "outreach_membership"
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_one_per_user_and_org"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class Invitation(models.Model):
    """A single-use, expiring link that lets a person join an organisation.

    Only a hash of the token is stored: a leaked database does not leak usable links.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Created by the outreach app; kept when the model moved here.
        db_table = "outreach_invitation"
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class JournalAction(models.TextChoices):
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_DEACTIVATED = "member_deactivated", _("Member deactivated")
    MEMBER_REACTIVATED = "member_reactivated", _("Member reactivated")
    SETTINGS_CHANGED = "settings_changed", _("Organisation settings changed")
    REPORT_VALIDATED = "report_validated", _("Report validated")
    REPORT_EXPORTED = "report_exported", _("Report downloaded")
    DATA_DOWNLOADED = "data_downloaded", _("Organisation data downloaded")


class JournalEntry(models.Model):
    """One sensitive action: who, when, what, in which organisation. Written once by
    ``organisations.journal.record`` and never changed: no view, form or admin edits it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as written: the journal still says who after an account is deleted.
    actor_label = models.CharField(_("who"), max_length=254)
    action = models.CharField(_("what"), max_length=40, choices=JournalAction.choices)
    target = models.CharField(_("on"), max_length=254, blank=True)
    details = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal of sensitive actions")
        indexes = [models.Index(fields=["organisation", "-at"], name="journal_org_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=JournalAction.values), name="journal_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"

    def save(self, *args, **kwargs) -> None:
        # Integrity, not logic: an entry is written once.
        if not self._state.adding:
            raise ValueError("A journal entry is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A journal entry is never deleted.")
