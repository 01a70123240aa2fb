from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmark (issue #8): `manage.py bench` and its floor page, no models. Installed
    only with BENCHMARKS_ENABLED (stodperson/settings.py); the data comes from demo/."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
