"""The targets, met or missed, and docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .bench import (
    CHECK_GROWTH,
    CHECK_MAX_QUERIES,
    CHECKS_TOTAL_S,
    FIGURES_YEAR_S,
    FLOOR_FACTOR,
    MIN_RPS,
    PAGE_P95_MS,
    PDF_S,
)

# --- The targets -----------------------------------------------------------------------------


def evaluate(run_result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it is met (None: not measured)."""
    sizes = run_result["sizes"]
    pages = sorted(run_result["page_sizes"])
    checks = sorted(run_result["check_sizes"])
    results: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, met: bool | None) -> None:
        results.append({"target": name, "value": value, "limit": limit, "met": met})

    small, large = str(pages[0]), str(pages[-1])
    large_pages = sizes[large].get("pages", {})
    small_pages = sizes[small].get("pages", {})
    floor = large_pages.get("floor", {}).get("p95_ms")
    for key, page in large_pages.items():
        if not page["main"]:
            continue
        label = page["label"]
        q_small = small_pages.get(key, {}).get("queries")
        add(
            f"{label}: queries at {small} and {large}",
            f"{q_small} / {page['queries']}",
            "equal",
            q_small == page["queries"] if len(pages) > 1 else None,
        )
        add(
            f"{label}: p95 at {large}",
            page["p95_ms"],
            f"≤ {PAGE_P95_MS:g} ms",
            page["p95_ms"] <= PAGE_P95_MS,
        )
        if floor:
            ratio = round(page["p95_ms"] / floor, 1)
            add(f"{label}: p95 / floor p95", ratio, f"≤ {FLOOR_FACTOR:g}", ratio <= FLOOR_FACTOR)
    changelist = large_pages.get("admin_changelist", {}).get("median_ms")
    for key in ("client_list", "client_list_all"):
        if key in large_pages and changelist:
            median = large_pages[key]["median_ms"]
            add(
                f"{large_pages[key]['label']}: median vs admin changelist ({changelist} ms)",
                median,
                "≤ changelist",
                median <= changelist,
            )

    c_small, c_large = str(checks[0]), str(checks[-1])
    large_checks = sizes[c_large].get("checks", {})
    small_checks = sizes[c_small].get("checks", {})
    for name, check in large_checks.items():
        add(
            f"{name}: queries",
            check["queries"],
            f"≤ {CHECK_MAX_QUERIES}",
            check["queries"] <= CHECK_MAX_QUERIES,
        )
        if name in small_checks and len(checks) > 1:
            ratio = round(check["median_ms"] / max(small_checks[name]["median_ms"], 0.01), 1)
            add(
                f"{name}: time at {c_large} / at {c_small}",
                ratio,
                f"≤ {CHECK_GROWTH:g}",
                ratio <= CHECK_GROWTH,
            )
    if large_checks:
        total = round(sum(c["median_ms"] for c in large_checks.values()) / 1000, 2)
        add(
            f"All checks together at {c_large}",
            f"{total} s",
            f"< {CHECKS_TOTAL_S:g} s",
            total < CHECKS_TOTAL_S,
        )

    top = sizes[str(max(int(s) for s in sizes))]
    for slug, figures in top.get("figures", {}).items():
        seconds = round(figures["median_ms"] / 1000, 2)
        add(
            f"Tertial figures for {figures['year']} ({slug})",
            f"{seconds} s",
            f"< {FIGURES_YEAR_S:g} s",
            seconds < FIGURES_YEAR_S,
        )
    for slug, pdf in top.get("pdf", {}).items():
        seconds = round(pdf["median_ms"] / 1000, 2)
        add(f"PDF of a report ({slug})", f"{seconds} s", f"< {PDF_S:g} s", seconds < PDF_S)
    if "load" in top:
        load = top["load"]
        add(
            "Checklist under gunicorn: requests/s",
            load["rps"],
            f"≥ {MIN_RPS:g}",
            load["rps"] >= MIN_RPS,
        )
        add("Checklist under gunicorn: errors", load["errors"], "0", load["errors"] == 0)
    return results


# --- The Markdown ------------------------------------------------------------------------------

NOTES_START = "<!-- notes:start -->"
NOTES_END = "<!-- notes:end -->"
DEFAULT_NOTES = "(What was found and fixed goes here; `bench` keeps this section.)"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "–"}[met]


def _vendor_markdown(vendor: str, section: dict[str, Any]) -> list[str]:
    after = section["after"]
    before: dict[str, Any] = section.get("before") or {}
    same = not before or before.get("generated") == after.get("generated")
    pages = [str(s) for s in sorted(after["page_sizes"])]
    checks = [str(s) for s in sorted(after["check_sizes"])]
    sizes = after["sizes"]
    large = pages[-1]
    lines = [
        f"## {after['database']}",
        "",
        f"Run {after['generated']} on {after['machine']['cpus']} CPUs, Python "
        f"{after['machine']['python']}; the whole bench took {after['bench_seconds']} s"
        + (" (quick mode)" if after.get("quick") else "")
        + ". Seeding (manage.py seed_demo --clients N): "
        + ", ".join(f"{int(s):,} clients {sizes[s]['seed_seconds']} s" for s in sizes)
        + ". CPU used by other processes (PostgreSQL included) while measuring: "
        + ", ".join(
            f"{int(s):,} clients {sizes[s]['cpu_other_share']:.0%}"
            for s in sizes
            if sizes[s].get("cpu_other_share") is not None
        )
        + ".",
        "",
    ]
    if not same:
        lines += [f"Before: the first run, {before['generated']}.", ""]
    lines += ["### Pages", ""]
    head = ["Page"]
    for s in pages:
        head += [f"queries {int(s):,}", f"median ms {int(s):,}", f"p95 ms {int(s):,}"]
    if not same:
        head += [f"before: queries {int(large):,}", f"before: p95 ms {int(large):,}"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, page in sizes[large].get("pages", {}).items():
        row = [page["label"] + ("" if page["main"] else " *")]
        for s in pages:
            measured = sizes[s].get("pages", {}).get(key, {})
            row += [
                _fmt(measured.get("queries")),
                _fmt(measured.get("median_ms")),
                _fmt(measured.get("p95_ms")),
            ]
        if not same:
            old = before["sizes"].get(large, {}).get("pages", {}).get(key, {})
            row += [_fmt(old.get("queries")), _fmt(old.get("p95_ms"))]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "\\* a yardstick or an extra view, not a main page.", ""]

    lines += ["### Background checks", ""]
    head = ["Check"]
    for s in checks:
        head += [f"queries {int(s):,}", f"median ms {int(s):,}"]
    if not same:
        head += [f"before: median ms {int(checks[-1]):,}"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in sizes[checks[-1]].get("checks", {}):
        row = [f"`{name}`"]
        for s in checks:
            measured = sizes[s].get("checks", {}).get(name, {})
            row += [_fmt(measured.get("queries")), _fmt(measured.get("median_ms"))]
        if not same:
            old = before["sizes"].get(checks[-1], {}).get("checks", {}).get(name, {})
            row.append(_fmt(old.get("median_ms")))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    top_key = str(max(int(s) for s in sizes))
    top = sizes[top_key]
    old_top = before["sizes"].get(top_key, {}) if not same else {}
    lines += [f"### Reports and load ({int(top_key):,} clients)", ""]
    head = (
        ["Measure", "queries", "median", "before"] if not same else ["Measure", "queries", "median"]
    )
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for slug, figures in top.get("figures", {}).items():
        one = figures.get("one_tertial_ms")
        row = [
            f"Tertial figures, T1–T3 {figures['year']} ({slug}; "
            f"{figures.get('variant', 'compute_figures x 3')}"
            + (f"; one tertial {one / 1000:.2f} s" if one else "")
            + ")",
            _fmt(figures["queries"]),
            f"{figures['median_ms'] / 1000:.2f} s",
        ]
        if not same:
            old = old_top.get("figures", {}).get(slug)
            row.append(f"{old['median_ms'] / 1000:.2f} s" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    for slug, pdf in top.get("pdf", {}).items():
        row = [
            f"PDF of the report ({slug}, {pdf['bytes'] // 1024} kB)",
            "–",
            f"{pdf['median_ms'] / 1000:.2f} s",
        ]
        if not same:
            old = old_top.get("pdf", {}).get(slug)
            row.append(f"{old['median_ms'] / 1000:.2f} s" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    if "load" in top:
        load = top["load"]
        row = [
            f"Checklist under gunicorn ({load['workers']} workers, {load['connections']} "
            f"connections, {load['tool']}, {load['seconds']} s): requests/s, errors",
            "–",
            f"{load['rps']} /s, {load['errors']} errors "
            f"(p50 {load['latency_p50_ms']} ms, p99 {load['latency_p99_ms']} ms"
            + (
                f"; CPU per request: gunicorn {cpu['gunicorn']} ms, the rest {cpu['rest']} ms"
                if (cpu := load.get("cpu_ms_per_request"))
                else ""
            )
            + ")",
        ]
        if not same:
            old = old_top.get("load")
            row.append(f"{old['rps']} /s, {old['errors']} errors" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    lines += [
        "### Targets",
        "",
        "| Target | Value | Limit | Now |" + (" Before |" if not same else ""),
        "|---|---|---|---|" + ("---|" if not same else ""),
    ]
    before_targets = {t["target"]: t for t in before.get("targets", [])} if not same else {}
    for target in after["targets"]:
        row = [target["target"], _fmt(target["value"]), target["limit"], _mark(target["met"])]
        if not same:
            old = before_targets.get(target["target"])
            row.append(f"{_fmt(old['value'])} ({_mark(old['met'])})" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    missed = [t for t in after["targets"] if t["met"] is False]
    lines += ["", f"{len(missed)} of {len(after['targets'])} targets missed.", ""]
    return lines


def write_markdown(document: dict[str, Any], path: Path) -> None:
    notes = DEFAULT_NOTES
    try:
        existing = path.read_text()
    except OSError:
        existing = ""
    if NOTES_START in existing and NOTES_END in existing:
        notes = existing.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0].strip()
    lines = [
        "# Benchmarks",
        "",
        "Generated by `uv run python manage.py bench` (benchmarks/bench.py) from "
        "docs/benchmarks.json; only the notes section is written by hand. How to run it: "
        'README.md, "Benchmark". Times are server times in the process (Django\'s test '
        "client, the whole middleware), median and 95th percentile of the timed runs after "
        "warm-up; queries are counted in the warm-up.",
        "",
        NOTES_START,
        notes,
        NOTES_END,
        "",
    ]
    for vendor in ("postgresql", "sqlite"):
        if vendor in document:
            lines += _vendor_markdown(vendor, document[vendor])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip() + "\n")
