from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_reference_rights(sender, *, apps=None, using="default", **kwargs) -> None:
    """Create the reference rights that are missing (never overwrite edited ones).

    The data migration loads them once; this also runs after every ``migrate`` and after
    the flush that ends a transactional test, which empties every table, so that the
    reference list is always there. To retire a right, untick "in use" in the admin.
    """
    from django.apps import apps as global_apps

    from encounters.rights import RIGHTS

    apps = apps or global_apps  # a flush sends no app registry

    try:
        Right = apps.get_model("encounters", "Right")
    except LookupError:  # migrating backwards, before the table exists
        return
    existing = set(Right.objects.using(using).values_list("code", flat=True))
    Right.objects.using(using).bulk_create(
        [
            Right(**right, position=position * 10)
            for position, right in enumerate(RIGHTS, start=1)
            if right["code"] not in existing
        ]
    )


class EncountersConfig(AppConfig):
    name = "encounters"
    verbose_name = _("Encounters")

    def ready(self) -> None:
        post_migrate.connect(ensure_reference_rights, sender=self)
