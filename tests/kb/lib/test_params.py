"""int_or_none never raises on what a client sends."""

import pytest

from kb.lib.params import int_or_none


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (7, 7),
        ("-3", -3),
        (None, None),
        ("", None),
        ("abc", None),
        ("1.5", None),
        ([], None),
        (0, 0),
    ],
)
def test_int_or_none(value, expected):
    assert int_or_none(value) == expected
