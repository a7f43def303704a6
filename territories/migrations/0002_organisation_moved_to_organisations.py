"""Foreign keys to the organisation now name ``organisations.Organisation``: same table,
state only, nothing written to the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_moved_from_outreach'),
        ('territories', '0001_territories_places_partners'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='observation',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='partner',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='partnerterritory',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='place',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='territory',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            ],
            database_operations=[],
        ),
    ]
