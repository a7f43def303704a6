"""Foreign keys to the organisation now name ``organisations.Organisation``: same table,
state only, nothing written to the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_moved_from_outreach'),
        ('reports', '0004_report_snapshot_threshold'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AlterField(
                model_name='dailyactivity',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='dailyhour',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='dailyplace',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='dailyreferral',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='dailysignal',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='dailytopic',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='monthlyactivity',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='monthlyhour',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='monthlyplace',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='monthlyreferral',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='monthlysignal',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='monthlytopic',
                name='organisation',
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='report',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='rolluplock',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            ],
            database_operations=[],
        ),
    ]
