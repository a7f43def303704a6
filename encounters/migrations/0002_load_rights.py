"""Load the reference list of rights and benefits (editable afterwards in the admin)."""

from django.db import migrations

from encounters.rights import RIGHTS


def load_rights(apps, schema_editor):
    Right = apps.get_model("encounters", "Right")
    for position, right in enumerate(RIGHTS, start=1):
        Right.objects.update_or_create(
            code=right["code"],
            defaults={**right, "position": position * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("encounters", "0001_rights")]

    operations = [migrations.RunPython(load_rights, migrations.RunPython.noop)]
