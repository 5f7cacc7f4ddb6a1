"""Ingest warnings come as English sentences and, alongside, as codes with parameters."""

from papers.ingest import parse_bytes
from papers.ingest.pipeline import WARN_NO_AUTHORS, WARN_RAW_REFERENCES, WARNINGS, warning_from_text


def test_each_warning_has_its_code_and_parameters():
    parsed = parse_bytes("数字鸿沟是新的不平等。".encode(), filename="p.txt")
    assert WARN_NO_AUTHORS in parsed.warnings
    assert len(parsed.warning_codes) == len(parsed.warnings)
    codes = [w.code for w in parsed.warning_codes]
    assert "no_authors" in codes
    data = parsed.to_json()
    assert data["warnings"] == parsed.warnings  # the contract other tools read is unchanged
    assert {"code": "no_authors", "params": {}} in data["warning_codes"]


def test_a_stored_sentence_is_matched_back_to_its_code():
    info = warning_from_text(WARN_RAW_REFERENCES.format(n=7))
    assert (info.code, info.params) == ("raw_references", {"n": 7})
    assert warning_from_text("未找到关键词") is None
    for code, text in WARNINGS.items():
        assert warning_from_text(text.format(n=3)).code == code
