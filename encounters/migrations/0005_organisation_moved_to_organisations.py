"""Foreign keys to the organisation now name ``organisations.Organisation``: same table,
state only, nothing written to the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('encounters', '0004_encounter_member_index'),
        ('organisations', '0001_moved_from_outreach'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='contacttap',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='encounter',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='encounterchange',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='encountertopic',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='nontakeupsignal',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='referral',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            ],
            database_operations=[],
        ),
    ]
