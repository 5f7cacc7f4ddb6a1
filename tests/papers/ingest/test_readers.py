"""Readers and entry points: encodings, markdown, and the specific error for each unusable file."""

from __future__ import annotations

import pytest

from papers.ingest import IngestError, parse_bytes
from papers.ingest.pipeline import ERR_EMPTY, ERR_SIZE, ERR_TYPE
from papers.ingest.readers import ERR_BINARY, decode_text

SAMPLE = "数字社会治理的场景构建\n王佃利  滕 蕾\n摘要：数字技术的迅速发展已引领社会治理迈入数字时代。\n一、问题提出\n数字技术与社会治理的结合既是科学技术蓬勃发展的必然趋势。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_in_common_encodings_reads_the_same(encoding):
    paper = parse_bytes(SAMPLE.encode(encoding), filename="a.txt")
    assert paper.title == "数字社会治理的场景构建"
    assert [a.name for a in paper.authors] == ["王佃利", "滕蕾"]
    assert [s.heading for s in paper.sections] == ["问题提出"]


def test_markdown_headings():
    text = "# 标题一\n\n王五\n\n## 一、引言\n\n正文第一段，内容。\n"
    paper = parse_bytes(text.encode(), filename="a.md")
    assert paper.title == "标题一"
    assert [s.heading for s in paper.sections] == ["引言"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.txt", ERR_EMPTY),
        (b"  \n\n ", "a.txt", ERR_EMPTY),
        (b"hello", "a.docx", ERR_TYPE),
        (b"x" * 2048, "big.txt", ERR_SIZE),
        (b"\x00\x01\x02binary", "a.txt", ERR_BINARY),
    ],
)
def test_unusable_files_give_specific_errors(data, name, message):
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, filename=name, max_bytes=1024)
    head = message.split("{")[1].split("}")[1].split("{")[0] if "{" in message else message
    assert head.strip(": ")[:12] in str(caught.value)


def test_gbk_is_detected_without_a_hint():
    assert decode_text("共同富裕".encode("gbk"), name="x") == "共同富裕"


def test_file_without_title_is_flagged_not_crashed():
    paper = parse_bytes("摘要：只有摘要。\n一、引言\n正文，内容。\n".encode(), filename="a.txt")
    assert paper.title == ""
    assert paper.needs_review
    assert any("title" in w for w in paper.warnings)
