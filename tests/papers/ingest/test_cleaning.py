"""Unit tests of the cleaning stage: joining, artefacts, word-per-line English, running headers."""

from __future__ import annotations

import pytest

from papers.ingest.cleaning import find_doi, find_furniture, measure, merge_word_lines, normalise
from papers.ingest.lines import Line, join_text
from papers.ingest.readers import text_lines


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("数字技术正以前所未", "有的深度", "数字技术正以前所未有的深度"),
        ("the role of", "digital", "the role of digital"),
        ("social stability, so-", "cial governance", "social stability, social governance"),
        ("城市大脑", "1. 0”和重庆", "城市大脑1. 0”和重庆"),
    ],
)
def test_join_text(left, right, joined):
    assert join_text(left, right) == joined


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("产业总规模达到 39． 2万亿元", "产业总规模达到 39.2万亿元"),
        ("厦门“城市大脑1. 0”", "厦门“城市大脑1.0”"),
        ("作者 滕 蕾 说", "作者滕蕾说"),
        ("全角数字２０２２年和ＡＢＣ", "全角数字2022年和ABC"),
        ("国内生产总值 ( GDP ) 比重", "国内生产总值 (GDP) 比重"),
        ("达到 2． 673 6亿人", "达到 2.6736亿人"),
        ("超过 1 600 家", "超过 1600 家"),
        ("决定力量。 2023 年", "决定力量。2023 年"),
        ("［责任编辑：丁培卫  孔令奇］", "［责任编辑：丁培卫\u3000孔令奇］"),
        ("2025 年 3 月 31 日", "2025 年 3 月 31 日"),
        ("see p. 4. The end", "see p. 4. The end"),
    ],
)
def test_normalise_repairs_artefacts_but_not_punctuation(raw, clean):
    assert normalise(raw) == clean


def test_normalise_keeps_a_heading_number():
    assert normalise("1. 引言", keep_start=True) == "1. 引言"


def test_word_per_line_english_becomes_one_line():
    words = ["New", "quality", "productivity", "is", "a", "new", "driving", "force"]
    lines = [Line(text="英文摘要")] + [Line(text=w) for w in words] + [Line(text="中文")]
    merged = merge_word_lines(lines)
    assert [line.text for line in merged] == ["英文摘要", " ".join(words), "中文"]


def test_short_runs_of_single_words_are_left_alone():
    lines = [Line(text="Abstract"), Line(text="Keywords")]
    assert len(merge_word_lines(lines)) == 2


def _page(body: str, header: str, footer: str) -> str:
    return f"{header}\n{body}\n{footer}\n"


def test_running_headers_found_by_repetition_not_by_fixed_strings():
    body = "这是一段足够长的正文内容，用来模拟论文中的普通段落，并且包含标点符号。"
    text = "".join(_page(body, "某某学报第 3 卷", str(n)) for n in range(10, 14))
    lines = text_lines(text)
    measure(lines)
    removed = find_furniture(lines)
    kept = [line.text for line in lines if line.index not in removed]
    assert kept == [body] * 4


def test_doi_lines_and_their_neighbours_are_removed():
    text = "正文第一段，内容很长很长很长很长很长。\nhttps://doi.org/10.1234/abc.2022.1\n张三\nDOI: 10.1234/abc.2022.1 88 某期刊\n正文继续，内容。"
    lines = text_lines(text)
    doi = find_doi(lines)
    assert doi == "10.1234/abc.2022.1"
    removed = find_furniture(lines, doi=doi)
    assert [line.text for line in lines if line.index not in removed] == [
        "正文第一段，内容很长很长很长很长很长。",
        "正文继续，内容。",
    ]


def _pdf_line(text: str, page: int, top: float, *, tags=(), label: str = "", x0: float = 72.0) -> Line:
    return Line(
        text=text, page=page, x0=x0, x1=x0 + 10 * len(text), top=top, size=10.0, tags=set(tags), label=label
    )


def _pdf_pages(extra) -> list[Line]:
    body = "数字技术与社会治理的结合既是科学技术蓬勃发展的必然趋势，也是重要内容。"
    lines = []
    for page in (1, 2, 3):
        lines += [_pdf_line(body, page, 100 + 20 * k) for k in range(5)]
        lines += extra(page)
    for i, line in enumerate(lines):
        line.index = i
    return lines


def test_lines_the_layout_model_calls_header_or_footer_are_furniture_but_not_footnotes():
    lines = _pdf_pages(
        lambda page: [
            _pdf_line("中国数字生态研究课题组", page, 60, label="header"),
            _pdf_line(
                "①国家统计局：《中国统计年鉴》，北京：中国统计出版社 2023 年版。", page, 780, label="footer"
            ),
        ]
    )
    removed = find_furniture(lines)
    texts = {lines[i].text: reason for i, reason in removed.items()}
    assert texts == {"中国数字生态研究课题组": "page header or footer (layout model)"}


def test_captions_differing_only_by_number_are_not_a_running_header():
    lines = _pdf_pages(lambda page: [_pdf_line(f"表{page} 各地区数字生态指数", page, 50, tags={"top-zone"})])
    assert find_furniture(lines) == {}


def test_a_number_following_the_page_in_a_repeated_line_is_a_folio():
    lines = _pdf_pages(lambda page: [_pdf_line(f"数字经济评论 {page + 40}", page, 50, tags={"top-zone"})])
    removed = find_furniture(lines)
    assert sorted(lines[i].text for i in removed) == ["数字经济评论 41", "数字经济评论 42", "数字经济评论 43"]


def test_page_numbers_in_the_side_margin_are_furniture():
    lines = _pdf_pages(lambda page: [_pdf_line(str(page + 29), page, 400, tags={"margin"}, x0=530)])
    removed = find_furniture(lines)
    assert sorted(lines[i].text for i in removed) == ["30", "31", "32"]


def test_a_title_the_layout_model_calls_a_header_stays():
    lines = _pdf_pages(lambda page: [])
    title = Line(
        text="数字生态指数的测算", page=1, x0=72, x1=300, top=40, size=18.0, label="header", tags={"top-zone"}
    )
    lines.insert(0, title)
    for i, line in enumerate(lines):
        line.index = i
        line.size = line.size or 10.0
    assert find_furniture(lines) == {}


def test_a_caption_the_layout_model_calls_a_header_stays():
    lines = _pdf_pages(lambda page: [_pdf_line(f"表{page} 各地区数字生态指数", page, 50, label="header")])
    assert find_furniture(lines) == {}
