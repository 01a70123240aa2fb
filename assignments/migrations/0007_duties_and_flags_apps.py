"""Duty templates, duty checks, flags and digest logs move to the duties and flags apps
(issue #12). Only Django's picture of the models moves: the tables keep their names and
every row (db_table on the models), so nothing is copied; duties/0001 and flags/0001 take
the models over, and the content types (admin log, permissions) follow them there."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0006_support_request"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='dutycheck',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='dutycheck',
                    name='by',
                ),
                migrations.RemoveField(
                    model_name='dutycheck',
                    name='template',
                ),
                migrations.RemoveField(
                    model_name='dutycheck',
                    name='withdrawn_by',
                ),
                migrations.RemoveField(
                    model_name='dutytemplate',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='flag',
                    name='client',
                ),
                migrations.DeleteModel(
                    name='DigestLog',
                ),
                migrations.DeleteModel(
                    name='DutyCheck',
                ),
                migrations.DeleteModel(
                    name='DutyTemplate',
                ),
                migrations.DeleteModel(
                    name='Flag',
                ),
            ],
            database_operations=[],
        ),
    ]
