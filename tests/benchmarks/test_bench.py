"""The scale data set and the benchmark command (issue #8), at a tiny size so CI runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from assignments.models import Assignment, SupportRequest
from benchmarks import bench, report, runner
from benchmarks.pages import PAGES
from clients.models import Client
from demo.scale import MANAGER_USERNAME, SUPPORT_USERNAME, Size
from duties.models import DutyCheck
from flags.models import Flag
from supportpersons.models import SupportPerson
from tests import factories


@pytest.fixture
def seeded(db):
    factories.ensure_migrated_data()
    call_command("seed_demo", "--clients", "30", stdout=None)


def test_seed_demo_clients_builds_a_proportionate_data_set_that_keeps_the_rules(seeded):
    assert Client.objects.count() == 30
    size = Size(30)
    assert SupportPerson.objects.count() == size.assistants + size.volunteers + 1
    assert DutyCheck.objects.exists()
    assert Flag.objects.filter(resolved_at__isnull=True).exists()
    # At most one active assignment per client, and no end before its start.
    per_client = Assignment.objects.active().values("client").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_client) == 1
    assert not Assignment.objects.filter(ended_on__lt=F("started_on")).exists()
    # The search name is what save() would have written.
    for person in [*Client.objects.all(), *SupportPerson.objects.all()]:
        assert person.search_name == person.derived_search_name()
    # The personas of the benchmark, with work to show.
    assert SupportPerson.objects.get(user__username=SUPPORT_USERNAME).assignments.active()
    assert Client.objects.filter(unit__managers__username=MANAGER_USERNAME).exists()
    # Requests wait in the queue at every size, one of them paused.
    assert SupportRequest.objects.open().filter(pauses__ended_on__isnull=True).exists()


def test_seed_demo_clients_refuses_a_database_with_data_unless_reset(seeded):
    with pytest.raises(CommandError, match="already holds data"):
        call_command("seed_demo", "--clients", "20", stdout=None)
    call_command("seed_demo", "--clients", "20", "--reset", stdout=None)
    assert Client.objects.count() == 20


def test_the_bench_measures_a_seeded_database_in_quick_mode(seeded, tmp_path: Path):
    out = tmp_path / "result.json"
    call_command("bench", "--in-place", "--quick", "--no-load", "--json", str(out), stdout=None)
    result = json.loads(out.read_text())
    assert result["clients"] == 30
    pages = result["pages"]
    assert {page.key for page in PAGES} == set(pages)
    assert all(page["queries"] > 0 and page["median_ms"] > 0 for page in pages.values())
    assert {"check_plan_overdue", "check_requests"} <= set(result["checks"])
    assert all(check["queries"] <= bench.CHECK_MAX_QUERIES for check in result["checks"].values())
    assert set(result["figures"]) == {"personlig-assistans", "patientnamnden"}
    assert all(pdf["bytes"] > 1000 for pdf in result["pdf"].values())
    assert "load" not in result


def _page(label: str, queries: int, p95: float, main: bool = True) -> dict[str, Any]:
    return {"label": label, "main": main, "queries": queries, "median_ms": p95, "p95_ms": p95}


def test_the_targets_compare_sizes_the_floor_and_the_changelist():
    small = {
        "pages": {"dashboard": _page("Dashboard", 20, 10), "floor": _page("Floor", 7, 4, False)},
        "checks": {"check_a": {"queries": 4, "median_ms": 80.0}},
    }
    large = {
        "pages": {
            "dashboard": _page("Dashboard", 21, 20),
            "client_list": _page("Client list", 14, 40),
            "floor": _page("Floor", 7, 5, False),
            "admin_changelist": _page("Changelist", 14, 30, False),
        },
        "checks": {"check_a": {"queries": 4, "median_ms": 900.0}},
        "figures": {"lss": {"year": 2025, "median_ms": 400.0}},
        "load": {"rps": 151.0, "errors": 0},
    }
    run = {"page_sizes": [200, 20000], "check_sizes": [200, 20000]}
    run["sizes"] = {"200": small, "20000": large}
    met = {t["target"]: t["met"] for t in report.evaluate(run)}
    assert met["Dashboard: queries at 200 and 20000"] is False  # the count grew
    assert met["Dashboard: p95 / floor p95"] is True  # 20 / 5
    assert met["Client list: p95 / floor p95"] is False  # 40 / 5
    assert met["Client list: median vs admin changelist (30 ms)"] is False
    assert met["check_a: time at 20000 / at 200"] is False  # 900 / 80
    assert met["All checks together at 20000"] is True
    assert met["Tertial figures for 2025 (lss)"] is True
    assert met["Checklist under gunicorn: requests/s"] is True


def test_the_markdown_keeps_the_notes_and_shows_before_and_after(tmp_path: Path):
    path = tmp_path / "benchmarks.md"
    path.write_text(f"old\n{report.NOTES_START}\nOur notes.\n{report.NOTES_END}\nold tables\n")
    run = {
        "generated": "2026-01-01T00:00:00",
        "machine": {"cpus": 2, "python": "3.11"},
        "database": "PostgreSQL 15",
        "bench_seconds": 1.0,
        "page_sizes": [200],
        "check_sizes": [200],
        "sizes": {"200": {"seed_seconds": 1.0, "pages": {"floor": _page("Floor", 7, 4, False)}}},
        "targets": [{"target": "t", "value": 1, "limit": "≤ 2", "met": True}],
    }
    later = {**run, "generated": "2026-01-02T00:00:00"}
    report.write_markdown({"postgresql": {"before": run, "after": later}}, path)
    text = path.read_text()
    assert "Our notes." in text and "old tables" not in text
    assert "Before: the first run, 2026-01-01" in text


def test_each_size_gets_its_own_database_beside_the_configured_one():
    configured = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "stodperson",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": 5432,
    }
    expected = "postgres://postgres@127.0.0.1:5432/stodperson_bench_200"
    assert runner.bench_database_url(200, configured) == expected
