"""Writes of the territory directory: validated, atomic, within one organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone

from organisations.models import Organisation
from territories.models import DirectoryEntry, Observation, Partner


@transaction.atomic
def directory_entry_save(*, organisation: Organisation, form: ModelForm) -> DirectoryEntry:
    """Save a valid territory, place or partner form as an entry of ``organisation``."""
    entry = form.save(commit=False)
    entry.organisation = organisation
    entry.full_clean()
    entry.save()
    if isinstance(entry, Partner):
        entry.territories.set(
            form.cleaned_data["territories"], through_defaults={"organisation": organisation}
        )
    return entry


def entry_set_archived(*, entry: DirectoryEntry | Observation, archived: bool) -> None:
    entry.archived_at = timezone.now() if archived else None
    entry.save(update_fields=["archived_at", "updated_at"])


@transaction.atomic
def observation_save(
    *, organisation: Organisation, form: ModelForm, territory=None, author: AbstractBaseUser
) -> Observation:
    observation = form.save(commit=False)
    if observation.pk is None:
        observation.organisation = organisation
        observation.territory = territory
        observation.author = author
    observation.full_clean()
    observation.save()
    return observation
