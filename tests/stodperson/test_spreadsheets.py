"""The one rule against formulas in the files the application writes."""

import io

import pytest

from stodperson import spreadsheets


@pytest.mark.parametrize(
    "text", ["=1+1", "+1+1", "-1+cmd|'/C calc'!A0", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "-", "+"]
)
def test_text_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert spreadsheets.defuse(text) == "'" + text


@pytest.mark.parametrize("value", ["Umeå", "", "-3", "+4", "12,5 %", "-0.5", 3, -3, 2.5, None])
def test_plain_text_and_numbers_are_left_as_they_are(value):
    assert spreadsheets.defuse(value) == value


def test_the_csv_writer_and_the_dataset_defuse_every_cell():
    out = io.StringIO()
    spreadsheets.csv_writer(out, delimiter=";").writerow(["=1+1", "ok", 7])
    assert out.getvalue().strip() == "'=1+1;ok;7"
    data = spreadsheets.dataset(["=head"], [["@x"]], "Blad")
    assert data.headers == ["'=head"] and data[0] == ("'@x",)
