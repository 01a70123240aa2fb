from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The scale data set and the benchmark (issue #8): management commands only, no models."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
