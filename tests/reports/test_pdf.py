"""The PDF: WeasyPrint with static files from disk only, Swedish, aggregates only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from clients.models import ProtectedIdentity
from reports.exports import figures_csv, figures_xlsx, report_pdf
from reports.figures import compute_figures
from reports.narrative import generated_texts
from reports.pdf import StaticFilesOnly, static_file_for
from stodperson.tertials import Tertial
from tests import factories

from .conftest import AFTER_T3_2022

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "reports"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def page_count(text: str) -> int:
    return text.count("\f")


@pytest.fixture
def figures(dataset):
    return compute_figures(dataset.programme, Tertial(2022, 3), today=AFTER_T3_2022)


@pytest.fixture
def pdf(figures):
    return report_pdf(figures, generated_texts(figures), final=False)


@pytest.fixture
def figures_in_full(dataset, settings):
    """The figures with a threshold of 1, so that every count is shown."""
    settings.REPORT_MIN_GROUP_SIZE = 1
    return compute_figures(dataset.programme, Tertial(2022, 3), today=AFTER_T3_2022)


def test_the_pdf_carries_the_figures_in_swedish(figures_in_full):
    pdf = report_pdf(figures_in_full, generated_texts(figures_in_full), final=False)
    text = " ".join(pdf_text(pdf).split())
    assert "Rapport stödpersonsverksamheten T3 2022" in text
    assert "Sida 1 av" in text
    assert "UTKAST" in text
    assert (
        "Under perioden september – december har totalt 5 stödpersonsuppdrag förordnats och "
        "2 uppdrag entledigats." in text
    )
    assert "Avstämning: 4 vid periodens början + 1 rekryterade + 1 återaktiverade − 2 " in text
    assert "inaktiverade = 4; vid periodens slut 4: OK" in text
    assert "Nyckeltal" in text
    assert "T3 2022 T2 2022 T3 2021" in text
    assert "Förordnade inom målvärdet 50 %" in text


def test_the_pdf_has_an_a4_page_with_the_organisation_and_period_in_the_header(pdf, figures):
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert "595.276 x 841.89 pts (A4)" in info.stdout.decode()
    first_page = pdf_text(pdf).split("\f")[0]
    assert f"{figures['programme']['organisation']} · T3 2022" in first_page


def test_the_pdf_contains_no_personal_data(dataset, figures):
    protected = factories.ClientFactory(
        unit=dataset.unit,
        first_name="Hemlig",
        last_name="Hemligsson",
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
    )
    factories.RequestFactory(client=protected, received_at=dataset.requests["R2"].received_at)
    figures = compute_figures(dataset.programme, Tertial(2022, 3), today=AFTER_T3_2022)
    text = pdf_text(report_pdf(figures, generated_texts(figures), final=False))
    names = [p.first_name for p in dataset.people.values()] + [
        p.last_name for p in dataset.people.values()
    ]
    names += [c.last_name for c in dataset.clients] + ["Hemlig", "Hemligsson"]
    assert not [name for name in names if name in text]


def test_small_client_breakdowns_are_suppressed_with_a_footnote(pdf):
    text = " ".join(pdf_text(pdf).split())
    # One request at each number of working days: fewer than 5 in every cell.
    assert "< 5" in text
    assert "färre än 5 personer" in text


def test_a_page_is_kept_as_a_picture_to_look_at(pdf, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    (ARTIFACTS / "report-t3-2022.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(source),
            str(ARTIFACTS / "page"),
        ],
        check=True,
    )
    pages = list(ARTIFACTS.glob("page-*1.png"))
    assert pages and pages[0].stat().st_size > 10_000


def test_the_same_figures_give_the_same_pdf(figures):
    texts = generated_texts(figures)
    assert report_pdf(figures, texts, final=True) == report_pdf(figures, texts, final=True)


def test_the_fetcher_maps_static_urls_to_files_and_refuses_everything_else():
    css = static_file_for("https://pdf.invalid/static/reports/pdf.css")
    assert css is not None and css.name == "pdf.css" and css.is_file()
    for url in (
        "https://example.org/static/reports/pdf.css",
        "http://pdf.invalid/static/reports/pdf.css",
        "https://pdf.invalid/media/secret.pdf",
        "https://pdf.invalid/static/../../etc/passwd",
        "file:///etc/passwd",
    ):
        assert static_file_for(url) is None, url
    with pytest.raises(ValueError):
        StaticFilesOnly().fetch("https://example.org/tracker.png")


def test_the_csv_and_xlsx_carry_the_same_tables(figures, figures_in_full):
    csv_text = figures_csv(figures).decode("utf-8-sig")
    assert "Nyckeltal" in csv_text
    assert "Förordnade uppdrag;5;< 5;0" in csv_text
    assert "Förordnade uppdrag;5;1;0" in figures_csv(figures_in_full).decode("utf-8-sig")
    xlsx = figures_xlsx(figures)
    assert xlsx[:2] == b"PK"
