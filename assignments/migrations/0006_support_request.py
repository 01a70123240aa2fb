"""The model Request becomes SupportRequest (issue #12): the name no longer clashes with
Django's HTTP request in the views. Its tables, its history's and the content types follow."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0005_scale_indexes"),
        ("clients", "0005_protected_identity_readers"),
    ]

    operations = [
        migrations.RenameModel(
            old_name='HistoricalRequest',
            new_name='HistoricalSupportRequest',
        ),
        migrations.RenameModel(
            old_name='Request',
            new_name='SupportRequest',
        ),
    ]
