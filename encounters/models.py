from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Right(models.Model):
    """A right or benefit from the reference list (RSA, CSS, AME...), shared by all."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    administered_by = models.CharField(_("administered by"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "short_name"]
        verbose_name = _("right or benefit")
        verbose_name_plural = _("rights and benefits")

    def __str__(self) -> str:
        return self.short_name
