from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The one synthetic-data generator (`manage.py seed_demo --size ...`): no models."""

    name = "demo"
    verbose_name = "Demo data"
