"""The benchmark app (`manage.py bench`, its floor page) is installed only with
BENCHMARKS_ENABLED: production's defaults never have it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

CHECK = (
    "import django; django.setup(); from django.conf import settings; "
    "print('benchmarks' in settings.INSTALLED_APPS)"
)


def _installed(**env: str) -> bool:
    clean = {k: v for k, v in os.environ.items() if k != "BENCHMARKS_ENABLED"}
    completed = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**clean, "DJANGO_SETTINGS_MODULE": "stodperson.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip() == "True"


@pytest.mark.skipif(
    (settings.BASE_DIR / ".env").exists(), reason="a local .env may set BENCHMARKS_ENABLED"
)
def test_the_benchmark_is_not_installed_by_default():
    assert not _installed()


def test_the_benchmark_is_installed_when_enabled():
    assert _installed(BENCHMARKS_ENABLED="true")
