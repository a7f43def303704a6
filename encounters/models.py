from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from territories.models import Partner


class Right(models.Model):
    """A right or benefit from the reference list (RSA, CSS, AME...), shared by all."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    administered_by = models.CharField(_("administered by"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "short_name"]
        verbose_name = _("right or benefit")
        verbose_name_plural = _("rights and benefits")
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), 2000),
                name="right_description_max_length",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


# --- Field mode: anonymous encounters, contact taps, referrals, non-take-up signals ---
#
# No field here may identify a person: no name, no contact detail, no birth date, no
# address. The free note is screened (core.privacy) before it is saved.


class EncounterKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    ON_SITE_HELP = "on_site_help", _("On-site help")


class AgeBand(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UNDER_18 = "under_18", _("Under 18")
    FROM_18_TO_25 = "18_25", _("18–25")
    FROM_26_TO_39 = "26_39", _("26–39")
    FROM_40_TO_59 = "40_59", _("40–59")
    FROM_60_TO_74 = "60_74", _("60–74")
    FROM_75 = "75_plus", _("75 and over")


class Gender(models.TextChoices):
    NOT_STATED = "not_stated", _("Not stated")
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")


class DurationBand(models.TextChoices):
    UNDER_5 = "under_5", _("Under 5 min")
    FROM_5_TO_15 = "5_15", _("5–15 min")
    FROM_15_TO_30 = "15_30", _("15–30 min")
    OVER_30 = "over_30", _("Over 30 min")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")
    SPANISH = "es", _("Spanish")
    CATALAN = "ca", _("Catalan")
    ENGLISH = "en", _("English")
    PORTUGUESE = "pt", _("Portuguese")
    TURKISH = "tr", _("Turkish")
    ROMANI = "rom", _("Romani")
    OTHER = "other", _("Other language")


class Topic(models.TextChoices):
    """What a conversation was about. A fixed list: figures compare across teams."""

    RIGHTS = "rights", _("Rights and benefits")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Work and training")
    FAMILY = "family", _("Family, children")
    FOOD = "food", _("Food")
    ENERGY = "energy", _("Energy, bills")
    DIGITAL = "digital", _("Online procedures")
    MOBILITY = "mobility", _("Getting around")
    ISOLATION = "isolation", _("Isolation, social ties")
    PAPERS = "papers", _("Papers, residence")
    OTHER = "other", _("Other")


class NonTakeUpReason(models.TextChoices):
    """The Odenore typology of non-take-up."""

    NON_KNOWLEDGE = "non_knowledge", _("Non-knowledge (does not know the right)")
    NON_DEMAND = "non_demand", _("Non-demand (knows, does not ask)")
    NON_RECEIPT = "non_receipt", _("Non-receipt (asked, did not get it)")
    NON_PROPOSAL = "non_proposal", _("Non-proposal (never offered)")


class ReferralOutcome(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DONE = "done", _("Done (as the person said)")
    DECLINED = "declined", _("Declined")
    UNKNOWN = "unknown", _("Unknown")


# Outcomes after which a referral needs no more following.
CLOSED_OUTCOMES = frozenset({ReferralOutcome.DONE, ReferralOutcome.DECLINED})


_CHOICE_FIELDS = frozenset({"kind", "age_band", "gender", "duration_band"})


class Encounter(models.Model):
    """One anonymous conversation (or on-site help) during an outreach session."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        "outreach.OutreachSession",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="encounters",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=EncounterKind.choices, default=EncounterKind.CONVERSATION
    )
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.NOT_STATED
    )
    first_time = models.BooleanField(_("first time met"), default=True)
    duration_band = models.CharField(
        _("duration"),
        max_length=10,
        choices=DurationBand.choices,
        default=DurationBand.FROM_5_TO_15,
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.FRENCH
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    # A random code on a card handed to the person ("return card"); the only link
    # between their encounters. Never anything else.
    return_card_code = models.CharField(_("return card code"), max_length=8, null=True, blank=True)
    # Generated by the phone: a retried or replayed post finds the encounter again.
    client_uuid = models.UUIDField(editable=False)
    # Logged after the session ended (a late entry, within the correction rules).
    is_late = models.BooleanField(_("logged late"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        indexes = [
            models.Index(fields=["organisation", "occurred_at"], name="encounter_org_when"),
            models.Index(fields=["organisation", "session"], name="encounter_org_session"),
            # The dashboard's member filter reads the live tables (the rollups have no
            # member dimension): a member's encounters of a period without a scan.
            models.Index(
                fields=["organisation", "author", "occurred_at"], name="encounter_org_author_when"
            ),
            models.Index(
                fields=["organisation", "return_card_code"],
                name="encounter_org_card",
                condition=Q(return_card_code__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), 2000),
                name="encounter_note_max_length",
            ),
            models.UniqueConstraint(
                fields=["organisation", "client_uuid"], name="encounter_one_per_client_uuid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EncounterKind.values), name="encounter_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_band__in=AgeBand.values), name="encounter_age_band_valid"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="encounter_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_band__in=DurationBand.values),
                name="encounter_duration_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.occurred_at:%Y-%m-%d %H:%M}"

    def validate_constraints(self, exclude=None) -> None:
        # The CheckConstraints on choice fields repeat what field validation has just
        # checked, and Django validates each one with a query of its own: four queries on
        # every logged conversation, on a phone with a weak signal. The database still
        # enforces them on insert.
        super().validate_constraints(exclude={*(exclude or ()), *_CHOICE_FIELDS})


class EncounterTopic(models.Model):
    """A topic of an encounter: one row each, so that topics count with one GROUP BY."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["organisation", "topic"], name="enctopic_org_topic")]
        constraints = [
            models.UniqueConstraint(fields=["encounter", "topic"], name="enctopic_unique"),
            models.CheckConstraint(condition=Q(topic__in=Topic.values), name="enctopic_valid"),
        ]


class NonTakeUpSignal(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="signals")
    right = models.ForeignKey(
        Right, verbose_name=_("right"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=NonTakeUpReason.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("non-take-up signal")
        verbose_name_plural = _("non-take-up signals")
        indexes = [models.Index(fields=["organisation", "right"], name="signal_org_right")]
        constraints = [
            models.UniqueConstraint(fields=["encounter", "right"], name="signal_one_per_right"),
            models.CheckConstraint(
                condition=Q(reason__in=NonTakeUpReason.values), name="signal_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.right} — {self.get_reason_display()}"


class Referral(models.Model):
    """A referral to a partner (or a kind of partner), with an outcome told later."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        "territories.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_kind = models.CharField(
        _("kind of partner"), max_length=30, choices=Partner.Kind.choices
    )
    right = models.ForeignKey(
        Right,
        verbose_name=_("right"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.PROPOSED,
    )
    outcome_updated_at = models.DateTimeField(null=True, blank=True)
    outcome_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["organisation", "outcome"], name="referral_org_outcome"),
            models.Index(fields=["organisation", "partner_kind"], name="referral_org_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=ReferralOutcome.values), name="referral_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(partner_kind__in=Partner.Kind.values), name="referral_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner or self.get_partner_kind_display())

    @property
    def is_closed(self) -> bool:
        return self.outcome in CLOSED_OUTCOMES


class TapKind(models.TextChoices):
    CONTACT = "contact", _("Brief contact")
    REFUSAL = "refusal", _("Refusal")


class ContactTap(models.Model):
    """One tap on "brief contact" or "refusal"; the session keeps the running totals."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        "outreach.OutreachSession", on_delete=models.CASCADE, related_name="taps"
    )
    kind = models.CharField(max_length=10, choices=TapKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    client_uuid = models.UUIDField(editable=False)
    # Tapped after the session ended (a late entry, within the correction rules).
    is_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "session", "author", "created_at"], name="tap_org_session"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_uuid"], name="tap_one_per_client_uuid"
            ),
            models.CheckConstraint(condition=Q(kind__in=TapKind.values), name="tap_kind_valid"),
        ]


class EncounterChange(models.Model):
    """The audit trail of corrections: who changed which field of an encounter, when."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="changes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=60)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "encounter", "changed_at"], name="change_org_encounter"
            )
        ]
