"""The small-count rule holds in every output of the tertial report: no count of clients from
1 to min_group_size - 1 is shown (page, PDF, CSV, XLSX, generated text), and none can be
worked out from a total by subtraction (secondary suppression)."""

from __future__ import annotations

import csv
import io
import itertools
import random
import re
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from reports import services
from reports.exports import figures_csv, figures_xlsx, report_pdf
from reports.key_figures import key_figures
from reports.narrative import generated_texts
from reports.presentation import present
from reports.tables import Protector, Suppressed

from .conftest import AFTER_T3_2022
from .test_pdf import pdf_text

pytestmark = pytest.mark.django_db

K = 5
SMALL = {str(n) for n in range(1, K)}


def possible_values(shown: list, total: int, k: int) -> list[set[int]]:
    """For each cell, the values a reader could find for it: a "< k" cell is 1..k-1, a ".."
    cell at least k, and the cells add up to the total."""
    known = sum(v for v in shown if isinstance(v, int))
    hidden = [i for i, v in enumerate(shown) if isinstance(v, Suppressed)]
    ranges = [range(1, k) if str(shown[i]).startswith("<") else range(k, total + 1) for i in hidden]
    found: list[set[int]] = [set() for _ in shown]
    for combination in itertools.product(*ranges):
        if known + sum(combination) == total:
            for i, value in zip(hidden, combination, strict=True):
                found[i].add(value)
    return found


def assert_not_derivable(shown: list, total, k: int = K) -> None:
    if not isinstance(total, int):
        return  # the total is hidden too: nothing to subtract from
    for value, options in zip(shown, possible_values(shown, total, k), strict=True):
        if isinstance(value, Suppressed):
            assert len(options) != 1, (shown, total)


def _vectors():
    yield from itertools.product(range(9), repeat=1)
    yield from itertools.product(range(9), repeat=2)
    yield from itertools.product(range(9), repeat=3)
    rng = random.Random(13)
    for _ in range(300):
        yield tuple(rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12]) for _ in range(4))


def test_no_hidden_cell_of_a_breakdown_follows_from_its_total():
    for cells in _vectors():
        protect = Protector(K)
        shown, total = protect.breakdown(list(cells), "total")
        assert not [v for v, n in zip(shown, cells, strict=True) if 0 < n < K and v == n]
        if isinstance(total, int):
            assert total == sum(cells)
        assert_not_derivable(shown, total)
        assert ("total" in protect.hidden_totals) == isinstance(total, Suppressed)


def test_one_hidden_count_of_the_assignment_flow_is_never_alone():
    protect = Protector(K)
    shown = protect.related([10, 3, 6, 7])  # 10 + appointed - released = 7
    assert sum(isinstance(v, Suppressed) for v in shown) >= 2


# --- The built data set: every output --------------------------------------------------------


@pytest.fixture
def report(dataset, admin_user):
    return services.report_create(
        programme=dataset.programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
    )


def _protected_labels() -> list[str]:
    with translation.override("sv"):
        return [
            str(f.label) for f in key_figures() if f.count or f.of_answered or f.group is not None
        ]


CLIENT_TABLES = {"time_to_appointment": [1], "late_requests": [2], "released_by_reason": [1]}


def _small_number(text: str) -> bool:
    return re.search(r"(?<![\d,.<])[1-4](?![\d,.])", text) is not None


def test_the_figures_of_the_built_data_set_are_small(report):
    # The data set is small on purpose (5 appointed, 2 released, 4 answered, 1 missed).
    current = report.figures["current"]
    assert current["assignments"]["released"] == 2 and current["requests"]["missed"] == 1


def test_no_small_count_in_the_csv(report):
    labels = _protected_labels()
    rows = list(
        csv.reader(io.StringIO(figures_csv(report.figures).decode("utf-8-sig")), delimiter=";")
    )
    checked = 0
    for row in rows:
        if row and row[0] in labels:
            checked += 1
            assert not SMALL & set(row[1:]), row
    assert checked >= 10
    with translation.override("sv"):
        tables = {t.title: t for t in present(report.figures).tables}
    for table in tables.values():
        for column in CLIENT_TABLES.get(table.key, []):
            for row in table.rows:
                assert str(row[column]) not in SMALL, (table.key, row)


def test_no_small_count_in_the_xlsx(report):
    labels = _protected_labels()
    book = openpyxl.load_workbook(io.BytesIO(figures_xlsx(report.figures)))
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and row[0] in labels:
                checked += 1
                assert not [v for v in row[1:] if isinstance(v, int) and 0 < v < K], row
    assert checked >= 10


def test_no_small_count_on_the_page_or_in_the_pdf(as_admin, report):
    labels = _protected_labels()
    html = as_admin.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] in labels:
            assert not SMALL & set(cells[1:]), cells
    pdf = pdf_text(report_pdf(report.figures, generated_texts(report.figures), final=False))
    for line in pdf.splitlines():
        for label in labels:
            if line.strip().startswith(label):
                assert not _small_number(line.strip()[len(label) :]), line


def test_no_small_count_in_the_generated_text(report):
    texts = generated_texts(report.figures)
    for text in texts.values():
        found = re.findall(
            r"(?<![\d,])(?:[1-4]|en|ett) "
            r"(?:fall|stödpersonsuppdrag|uppdrag|önskemål|avvikelser?)\b",
            text,
        )
        assert found == [], found
    assert "färre än 5" in texts["assignments_text"]


def test_no_hidden_count_follows_from_a_total_shown_in_the_report(report):
    with translation.override("sv"):
        presentation = present(report.figures)
    key = {str(row[0]): row[1] for row in presentation.key_figures.rows}
    with translation.override("sv"):
        labels = {str(f.name): str(f.label) for f in key_figures() if f.name}
    assert_not_derivable(
        [row[1] for row in presentation.distribution.rows], key[labels["answered"]]
    )
    assert_not_derivable([row[1] for row in presentation.released.rows], key[labels["released"]])
    for excused, name in (("Nej", "missed"), ("Ja", "excused")):
        cells = [row[2] for row in presentation.late.rows if row[1] == excused]
        assert_not_derivable(cells, key[labels[name]])
    # The flow: at the start + appointed - released = at the end, never one hidden alone.
    flow = [key[labels[n]] for n in ("active_at_start", "appointed", "released", "active_at_end")]
    assert sum(isinstance(v, Suppressed) for v in flow) != 1


def test_a_final_report_renders_its_frozen_figures_under_the_rule(as_admin, report, admin_user):
    stored = report.figures
    services.report_finalise(report=report, by=admin_user, today=AFTER_T3_2022)
    report.refresh_from_db()
    assert report.figures == stored  # frozen: the same figures, shown under today's rule
    html = as_admin.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "&lt; 5" in html


def test_a_breakdown_hides_the_next_smallest_cell_where_a_small_one_would_follow(
    dataset, admin_user
):
    # Five more requests answered on the day they came: 6 on day 0, one each on days 2, 4, 5
    # (the three ones add up to what 9 answered leaves after the 6, so 6 is hidden too).
    from tests import factories

    from .dataset import at

    for _ in range(5):
        request = factories.RequestFactory(
            client=factories.ClientFactory(unit=dataset.unit), received_at=at(date(2022, 10, 4))
        )
        factories.AssignmentFactory(
            client=request.client,
            support_person=dataset.people["A"],
            started_on=date(2022, 10, 4),
            request=request,
        )
    report = services.report_create(
        programme=dataset.programme, year=2022, tertial=3, by=admin_user, today=AFTER_T3_2022
    )
    assert report.figures["current"]["requests"]["distribution"]["0"] == 6
    with translation.override("sv"):
        presentation = present(report.figures)
    shown = [row[1] for row in presentation.distribution.rows]
    assert Suppressed("..") in shown and 6 not in shown
    answered = {str(row[0]): row[1] for row in presentation.key_figures.rows}
    with translation.override("sv"):
        label = next(str(f.label) for f in key_figures() if f.name == "answered")
    assert answered[label] == 9
    assert_not_derivable(shown, 9)
    assert ".." in figures_csv(report.figures).decode("utf-8-sig")
