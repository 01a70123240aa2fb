import pytest


@pytest.fixture(autouse=True)
def _benchmarks_installed(settings):
    """The benchmark app is installed only with BENCHMARKS_ENABLED, never by default (so
    never in production); its tests install it for themselves, as `make bench` does."""
    if "benchmarks" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "benchmarks"]
