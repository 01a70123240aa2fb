"""manage.py bench: the benchmark of issue #8 (benchmarks/: bench.py has the sizes and targets).

manage.py bench                      builds and seeds one database per size beside the
                                     configured one, measures, and writes
                                     docs/benchmarks.json and docs/benchmarks.md
manage.py bench --quick --no-load    few repetitions, no load test
manage.py bench --in-place           measure the configured database (seed_demo --clients N)
"""

from __future__ import annotations

import json
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from benchmarks import bench
from benchmarks.measure import PARTS, measure
from benchmarks.runner import run


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise ArgumentTypeError(f"not a list of numbers: {value}") from error
    if not sizes or min(sizes) < 10:
        raise ArgumentTypeError("sizes are numbers of clients, at least 10")
    return sizes


def _parts(value: str) -> list[str]:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ArgumentTypeError(f"unknown part: {', '.join(sorted(unknown))}")
    return parts


class Command(BaseCommand):
    help = (
        "Measure the main pages, the background checks, the tertial figures, the PDF and "
        "the checklist under load, at several sizes of data (seed_demo --clients N)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--page-sizes",
            type=_sizes,
            default=list(bench.PAGE_SIZES),
            help="Clients in the databases the pages are measured on (default 200,20000).",
        )
        parser.add_argument(
            "--check-sizes",
            type=_sizes,
            default=list(bench.CHECK_SIZES),
            help="Clients in the databases the checks are measured on (default 2000,20000).",
        )
        parser.add_argument(
            "--sizes",
            type=_sizes,
            help="One list for both (e.g. --sizes 30 for a quick look).",
        )
        parser.add_argument("--quick", action="store_true", help="Few repetitions.")
        parser.add_argument("--no-load", action="store_true", help="Leave out the load test.")
        parser.add_argument("--repeat", type=int, help="Timed runs per page (default 30).")
        parser.add_argument(
            "--fresh", action="store_true", help="Seed the databases again even if current."
        )
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="Keep this run as the 'before' of docs/benchmarks.json.",
        )
        parser.add_argument(
            "--json", type=Path, help="Where to write the JSON (default docs/benchmarks.json)."
        )
        parser.add_argument(
            "--markdown", type=Path, help="Where to write the Markdown (docs/benchmarks.md)."
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Measure the configured database, already filled by seed_demo --clients N.",
        )
        parser.add_argument(
            "--parts",
            type=_parts,
            default=list(PARTS),
            help=f"With --in-place: what to measure ({','.join(PARTS)}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["in_place"]:
                self._in_place(options)
            else:
                self._run(options)
        except bench.BenchError as error:
            raise CommandError(str(error)) from error

    def _in_place(self, options: dict[str, Any]) -> None:
        parts = [p for p in options["parts"] if not (p == "load" and options["no_load"])]
        result = measure(
            parts=parts,
            quick=options["quick"],
            repeat=options["repeat"],
            log=self.stdout.write,
        )
        if options["json"]:
            options["json"].write_text(json.dumps(result, indent=2, ensure_ascii=False))

    def _run(self, options: dict[str, Any]) -> None:
        page_sizes = options["sizes"] or options["page_sizes"]
        check_sizes = options["sizes"] or options["check_sizes"]
        json_path = options["json"] or bench.JSON_PATH
        markdown_path = options["markdown"] or (
            bench.MARKDOWN_PATH if options["json"] is None else None
        )
        result = run(
            page_sizes=page_sizes,
            check_sizes=check_sizes,
            quick=options["quick"],
            load=not options["no_load"],
            fresh=options["fresh"],
            baseline=options["baseline"],
            repeat=options["repeat"],
            json_path=json_path,
            markdown_path=markdown_path,
            log=self.stdout.write,
        )
        missed = [t for t in result["targets"] if t["met"] is False]
        for target in result["targets"]:
            mark = {True: "ok  ", False: "MISS", None: "--  "}[target["met"]]
            self.stdout.write(f"{mark} {target['target']}: {target['value']} ({target['limit']})")
        self.stdout.write(f"Wrote {json_path}" + (f" and {markdown_path}" if markdown_path else ""))
        self.stdout.write(
            f"{len(missed)} of {len(result['targets'])} targets missed; "
            f"the bench took {result['bench_seconds']} s."
        )
