"""User text at the door: control characters refused, bidi controls removed or shown, sizes bounded."""

import pytest
from django.core.exceptions import ValidationError

from kb.lib.usertext import CONTROL_CHARS, LIMITS, check_tree, clean_text, mark_bidi


@pytest.mark.parametrize("bad", ["a\x00b", "\x1b[31m", "x\x7f", "\x85", "\ud800"])
def test_control_characters_are_refused_with_a_message(bad):
    with pytest.raises(ValidationError) as caught:
        clean_text(bad)
    assert caught.value.messages == [CONTROL_CHARS]


def test_line_breaks_and_tabs_are_text():
    assert clean_text("第一行\n第二行\r\n\t缩进") == "第一行\n第二行\r\n\t缩进"


@pytest.mark.parametrize(
    "mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_bidi_controls_are_removed_from_input(mark):
    assert clean_text(f"invoice{mark}fdp.exe") == "invoicefdp.exe"


def test_sizes_are_bounded():
    assert clean_text("字" * LIMITS["statement"], limit="statement")
    with pytest.raises(ValidationError, match="最多 2000 个字符"):
        clean_text("字" * (LIMITS["statement"] + 1), limit="statement")


def test_json_trees_are_checked_keys_and_values():
    check_tree({"a": ["b", {"c": 1}]})
    for bad in ({"a": ["b\x00"]}, {"k\x00": 1}, ["\x07"]):
        with pytest.raises(ValidationError):
            check_tree(bad)


def test_pages_show_bidi_controls_visibly():
    html = "<h1>标题\u202eabc\u2066</h1>".encode()
    assert mark_bidi(html).decode() == "<h1>标题[U+202E]abc[U+2066]</h1>"
    plain = "<p>没有控制字符 – “引号”</p>".encode()
    assert mark_bidi(plain) is plain
