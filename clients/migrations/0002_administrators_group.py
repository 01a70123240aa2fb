"""The administrators group: the office that runs a programme (domain.md, "Users")."""

from django.db import migrations

ADMINISTRATORS_GROUP = "administrators"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ADMINISTRATORS_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
