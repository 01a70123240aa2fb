"""Flags and digest logs taken over from the assignments app (issue #12): the tables stay as they
were (db_table), so only Django's picture of the models is created here, and the content
types of the models move to this app so that admin log entries and permissions follow."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ['flag', 'digestlog']


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label="assignments", model__in=MODELS
    ).update(app_label="flags")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label="flags", model__in=MODELS
    ).update(app_label="assignments")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('assignments', '0007_duties_and_flags_apps'),
        ('clients', '0005_protected_identity_readers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DigestLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField(verbose_name='day')),
                        ('as_of', models.DateTimeField(help_text='Flags raised after this time are new in the next digest.', verbose_name='as of')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                        ('new_flags', models.PositiveIntegerField(default=0, verbose_name='new flags')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digest_logs', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'flag digest',
                        'verbose_name_plural': 'flag digests',
                        'db_table': 'assignments_digestlog',
                        'ordering': ['-day', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'day'), name='digestlog_one_per_user_and_day')],
                    },
                ),
                migrations.CreateModel(
                    name='Flag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('plan_overdue', 'Implementation plan overdue'), ('documentation_missing', 'Monthly documentation missing'), ('request_late', 'Request past its target'), ('request_due_soon', 'Request due soon'), ('no_support_person', 'Client without support person'), ('consent_review', 'Consent past review or withdrawn'), ('risk_follow_up', 'Risk follow-up overdue'), ('deviation_open', 'Deviation open too long'), ('care_ended', 'Assignment open after compulsory care ended')], max_length=30, verbose_name='kind')),
                        ('target_id', models.BigIntegerField(verbose_name='target')),
                        ('detail', models.CharField(blank=True, max_length=300, verbose_name='detail')),
                        ('raised_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='raised')),
                        ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='notified')),
                        ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='clients.client', verbose_name='client')),
                    ],
                    options={
                        'verbose_name': 'flag',
                        'verbose_name_plural': 'flags',
                        'db_table': 'assignments_flag',
                        'ordering': ['-raised_at', 'id'],
                        'indexes': [models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['client', 'kind'], name='flag_open_by_client'), models.Index(condition=models.Q(('resolved_at__isnull', True)), fields=['raised_at', 'id'], name='flag_open_by_age')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('resolved_at__isnull', True)), fields=('kind', 'target_id'), name='flag_one_open_per_kind_and_target')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
