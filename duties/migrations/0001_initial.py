"""Duty templates and duty checks taken over from the assignments app (issue #12): the tables stay as they
were (db_table), so only Django's picture of the models is created here, and the content
types of the models move to this app so that admin log entries and permissions follow."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELS = ['dutytemplate', 'dutycheck']


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label="assignments", model__in=MODELS
    ).update(app_label="duties")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label="duties", model__in=MODELS
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
                    name='DutyTemplate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(blank=True, choices=[('implementation_plan', 'Implementation plan'), ('documentation', 'Social documentation')], max_length=30, verbose_name='code')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('interval_months', models.PositiveSmallIntegerField(blank=True, help_text='Empty: an ongoing duty with no due date.', null=True, verbose_name='interval (months)')),
                        ('per_calendar_month', models.BooleanField(default=False, help_text='Due in every calendar month (or every n-th), rather than n months after the last time it was done.', verbose_name='counted in calendar months')),
                        ('grace_days', models.PositiveSmallIntegerField(default=0, help_text='How long a new client has before the duty is due the first time.', verbose_name='grace period (days)')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('is_active', models.BooleanField(default=True, verbose_name='in use')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='duty_templates', to='clients.programme', verbose_name='programme')),
                    ],
                    options={
                        'verbose_name': 'duty template',
                        'verbose_name_plural': 'duty templates',
                        'db_table': 'assignments_dutytemplate',
                        'ordering': ['programme', 'order', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='DutyCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('done_on', models.DateField(verbose_name='done')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded')),
                        ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='duty_checks', to='assignments.assignment', verbose_name='assignment')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ticked by')),
                        ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='withdrawn by')),
                        ('template', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checks', to='duties.dutytemplate', verbose_name='duty')),
                    ],
                    options={
                        'verbose_name': 'duty check',
                        'verbose_name_plural': 'duty checks',
                        'db_table': 'assignments_dutycheck',
                        'ordering': ['-done_on', '-id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='dutytemplate',
                    constraint=models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('programme', 'code'), name='dutytemplate_code_unique_per_programme'),
                ),
                migrations.AddIndex(
                    model_name='dutycheck',
                    index=models.Index(fields=['assignment', 'template', 'done_on'], name='assignments_assignm_906263_idx'),
                ),
                migrations.AddIndex(
                    model_name='dutycheck',
                    index=models.Index(condition=models.Q(('withdrawn_at__isnull', True)), fields=['template', 'done_on', 'assignment'], name='dutycheck_current_by_template'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
