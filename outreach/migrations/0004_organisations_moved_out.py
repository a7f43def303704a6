"""Organisation, Membership and Invitation now live in ``organisations``: the state of
this app forgets them and points its foreign keys there. No table is touched."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('encounters', '0005_organisation_moved_to_organisations'),
        ('organisations', '0001_moved_from_outreach'),
        ('outreach', '0003_organisation_return_cards'),
        ('reports', '0005_organisation_moved_to_organisations'),
        ('territories', '0002_organisation_moved_to_organisations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='membership',
                name='organisation',
            ),
            migrations.RemoveField(
                model_name='membership',
                name='user',
            ),
            migrations.AlterField(
                model_name='calendarfeed',
                name='member',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.membership'),
            ),
            migrations.AlterField(
                model_name='outreachsession',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='sessionassignment',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='calendarfeed',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='sessionseries',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.AlterField(
                model_name='seriesmember',
                name='organisation',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisations.organisation'),
            ),
            migrations.DeleteModel(
                name='Invitation',
            ),
            migrations.DeleteModel(
                name='Membership',
            ),
            migrations.DeleteModel(
                name='Organisation',
            ),
            ],
            database_operations=[],
        ),
    ]
