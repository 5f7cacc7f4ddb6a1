"""CSV cells a spreadsheet would run as formulas are written as text."""

import csv
import io

import pytest

from kb.lib.spreadsheet import SafeWriter, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_formula_starts_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["数字鸿沟", "a=b", "", 7, -3, None])
def test_other_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_writer_neutralises_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerow(['=HYPERLINK("http://x")', 2, "题目"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ['\'=HYPERLINK("http://x")', "2", "题目"]
