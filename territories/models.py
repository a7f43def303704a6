from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from core.text import fold
from organisations.models import Organisation


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DirectoryQuerySet(models.QuerySet):
    def live(self) -> DirectoryQuerySet:
        """What is not archived: what forms offer and lists show by default."""
        return self.filter(archived_at__isnull=True)


class DirectoryEntry(models.Model):
    """What territories, places and partners share: an owner, archiving, and search."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    # Accent- and case-folded copy of the searchable text, so that "herault" finds
    # "Hérault" on SQLite and PostgreSQL alike, with a plain indexed LIKE.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        abstract = True

    def searchable_parts(self) -> list[str]:
        return [self.name]

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(" ".join(p for p in self.searchable_parts() if p))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Territory(DirectoryEntry):
    class Kind(models.TextChoices):
        INTERCOMMUNALITY = "intercommunality", _("Intercommunality")
        COMMUNE = "commune", _("Commune")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
        LIVING_AREA = "living_area", _("Living area")
        DEPARTMENT = "department", _("Department")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(
                r"^(\d{5}|2[AB]\d{3})$",
                _("An INSEE code has five characters, such as 66149 or 2A004."),
            )
        ],
    )
    is_qpv = models.BooleanField(
        _("priority neighbourhood (QPV)"),
        default=False,
        help_text=_("A priority neighbourhood of the national urban policy."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(
        _("territory description"),
        blank=True,
        help_text=_("The living description: who lives here, resources, where people pass."),
        max_length=10000,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        indexes = [
            models.Index(fields=["organisation", "name"], name="territory_org_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), 10000),
                name="territory_description_max_length",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="territory_not_own_parent",
                violation_error_message=_(
                    "A territory cannot be part of one of its own sub-territories."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def searchable_parts(self) -> list[str]:
        return [self.name, self.insee_code]


class Place(DirectoryEntry):
    class Kind(models.TextChoices):
        STATION_SQUARE = "station_square", _("Station square")
        TRANSPORT_HUB = "transport_hub", _("Transport hub")
        MARKET = "market", _("Market")
        SCHOOL_GATE = "school_gate", _("School gate")
        FOOD_BANK = "food_bank", _("Food-bank queue")
        LENT_ROOM = "lent_room", _("Lent room")
        VILLAGE_SQUARE = "village_square", _("Village square")
        WAITING_AREA = "waiting_area", _("Waiting area of a service")
        OTHER = "other", _("Other")

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    best_days = models.JSONField(_("best days"), default=list, blank=True)
    best_from = models.TimeField(_("best from"), null=True, blank=True)
    best_until = models.TimeField(_("best until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [models.Index(fields=["organisation", "name"], name="place_org_name")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), 2000),
                name="place_notes_max_length",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_both_coordinates_or_none",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(best_from__isnull=True)
                | Q(best_until__isnull=True)
                | Q(best_until__gt=models.F("best_from")),
                name="place_best_until_after_from",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def searchable_parts(self) -> list[str]:
        return [self.name, self.notes]

    def best_days_display(self) -> list[str]:
        return [str(Weekday(d).label) for d in sorted(self.best_days)]

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Partner(DirectoryEntry):
    class Kind(models.TextChoices):
        CCAS = "ccas", _("CCAS (town social action centre)")
        CAF = "caf", _("CAF (family benefits)")
        CPAM = "cpam", _("CPAM (health insurance)")
        MSA = "msa", _("MSA (farmers' insurance)")
        FRANCE_TRAVAIL = "france_travail", _("France Travail")
        MISSION_LOCALE = "mission_locale", _("Mission locale (16–25)")
        FRANCE_SERVICES = "france_services", _("France Services")
        DEPARTMENT_SOCIAL = "department_social", _("Departmental social services")
        HEALTH_CENTRE = "health_centre", _("Health centre")
        FOOD_BANK = "food_bank", _("Food bank")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territories served"),
        through="PartnerTerritory",
        related_name="partners",
        blank=True,
    )
    address = models.CharField(_("address of the structure"), max_length=300, blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True, max_length=1000)
    phone = models.CharField(
        _("phone of the structure"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[\d .()-]{6,20}$",
                _("Enter a phone number made of digits, spaces, dots or dashes."),
            )
        ],
    )
    email = models.EmailField(_("e-mail of the structure"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner structure")
        verbose_name_plural = _("partner structures")
        indexes = [models.Index(fields=["organisation", "name"], name="partner_org_name")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("opening_hours"), 1000),
                name="partner_opening_hours_max_length",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def searchable_parts(self) -> list[str]:
        return [self.name, self.kind.replace("_", " "), self.address]


class PartnerTerritory(models.Model):
    """A territory a partner serves; carries the organisation like every tenant row."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "territory"], name="partner_territory_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "territory"], name="partnerterr_org_terr")]


class Observation(models.Model):
    """A dated note on a territory: what was seen, needs, resources."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.CASCADE,
        related_name="observations",
    )
    observed_on = models.DateField(_("date"))

    objects = DirectoryQuerySet.as_manager()
    text = models.TextField(_("observation"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [
            models.Index(
                fields=["organisation", "territory", "-observed_on"], name="observation_org_terr"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), 4000),
                name="observation_text_max_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} — {self.observed_on}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
