"""Organisation, Membership and Invitation move here from ``outreach``.

State only: the tables keep their names (``outreach_organisation``...) and their rows;
nothing is written to the database but the content types, renamed so that admin
permissions follow the models.
"""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ("organisation", "membership", "invitation")


def rename_content_types(apps, schema_editor):
    """Existing databases: the content types (and so the permissions) follow the models.
    A fresh database has none yet; Django creates them after migrating."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="outreach", model__in=MOVED).update(
        app_label="organisations"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        ('outreach', '0003_organisation_return_cards'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Organisation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, verbose_name='name')),
                    ('slug', models.SlugField(max_length=60, unique=True, verbose_name='short name')),
                    ('small_count_threshold', models.PositiveSmallIntegerField(default=11, help_text='In reports and exports, counts below this are shown as “< threshold”.', verbose_name='small-count threshold')),
                    ('return_cards_enabled', models.BooleanField(default=False, help_text='Hand out cards with a short random code, typed in at a later visit to link encounters. The code is the only link: no name, nothing else.', verbose_name='return cards')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                ],
                options={
                    'verbose_name': 'organisation',
                    'verbose_name_plural': 'organisations',
                    'db_table': 'outreach_organisation',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('role', models.CharField(choices=[('volunteer', 'Volunteer'), ('coordinator', 'Coordinator'), ('manager', 'Manager')], max_length=20, verbose_name='role')),
                    ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organisations.organisation')),
                ],
                options={
                    'verbose_name': 'membership',
                    'verbose_name_plural': 'memberships',
                    'db_table': 'outreach_membership',
                    'ordering': ['organisation__name'],
                    'constraints': [models.UniqueConstraint(fields=('organisation', 'user'), name='membership_one_per_user_and_org'), models.CheckConstraint(condition=models.Q(('role__in', ['volunteer', 'coordinator', 'manager'])), name='membership_role_valid')],
                },
            ),
            migrations.CreateModel(
                name='Invitation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                    ('role', models.CharField(choices=[('volunteer', 'Volunteer'), ('coordinator', 'Coordinator'), ('manager', 'Manager')], max_length=20, verbose_name='role')),
                    ('token_hash', models.CharField(max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('expires_at', models.DateTimeField()),
                    ('accepted_at', models.DateTimeField(blank=True, null=True)),
                    ('revoked_at', models.DateTimeField(blank=True, null=True)),
                    ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='organisations.organisation')),
                ],
                options={
                    'verbose_name': 'invitation',
                    'verbose_name_plural': 'invitations',
                    'db_table': 'outreach_invitation',
                    'ordering': ['-created_at'],
                    'indexes': [models.Index(fields=['organisation', '-created_at'], name='outreach_in_organis_e94cfe_idx')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, migrations.RunPython.noop),
    ]
