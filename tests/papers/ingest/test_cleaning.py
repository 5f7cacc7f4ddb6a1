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


def _pdf_page(page: int, head: list[tuple[str, float]], body: list[str], foot: list[tuple[str, float]] = ()):
    """Lines of one generated PDF page (wide margins: nothing in the reader's fixed zones)."""
    out, top = [], 80.0
    for text, size in head:
        out.append(Line(text=text, page=page, x0=90.0, x1=300.0, top=top, bottom=top + size, size=size))
        top += size + 8
    top += 6
    for text in body:
        out.append(Line(text=text, page=page, x0=90.0, x1=500.0, top=top, bottom=top + 10, size=10.0))
        top += 16
    for text, size in foot:
        out.append(
            Line(text=text, page=page, x0=90.0, x1=300.0, top=top + 10, bottom=top + 10 + size, size=size)
        )
        top += size + 8
    return out


def _numbered(pages: list[list[Line]]) -> list[Line]:
    lines = [line for page in pages for line in page]
    for i, line in enumerate(lines):
        line.index = i
    return lines


_WORDS = "甲乙丙丁戊己庚辛壬癸"


def _body(page: int) -> list[str]:
    """Body lines of one page, none repeating another page's."""
    word = _WORDS[page % len(_WORDS)]
    return [
        f"{word}类研究在近年迅速增加，学界从多个角度展开讨论并形成了丰富的成果",
        f"其中{word}类文献关注技术本身",
    ] * 3


def test_running_heads_above_the_fixed_zones_are_found_by_their_row():
    """Running heads on a page with a deep top margin (no zone tags): the page's first rows."""
    pages = [
        _pdf_page(2, [("《管理世界》", 12.0), ("2024年第8期", 12.0)], _body(2)),
        _pdf_page(3, [("2 国际政治科学(2025年第1期)", 8.25)], _body(3)),
        _pdf_page(4, [("“能源诅咒”何以生产? ———基于产权制度的解释 3", 8.25)], _body(4)),
        _pdf_page(5, [("4 国际政治科学(2025年第1期)", 8.25)], _body(5)),
        _pdf_page(6, [("“能源诅咒”何以生产? ———基于产权制度的解释 5", 8.25)], _body(6)),
        _pdf_page(
            7,
            [("《管理世界》", 12.0), ("2024年第8期", 12.0)],
            _body(7),
            [("世界经济 * 2025年第3期　·30·", 8.8)],
        ),
        _pdf_page(8, [("理论述评", 10.0)], _body(8), [("世界经济 * 2025年第3期　·31·", 8.8)]),
    ]
    lines = _numbered(pages)
    removed = find_furniture(lines)
    gone = {lines[i].text for i in removed}
    assert gone == {
        "《管理世界》",
        "2024年第8期",
        "2 国际政治科学(2025年第1期)",
        "4 国际政治科学(2025年第1期)",
        "“能源诅咒”何以生产? ———基于产权制度的解释 3",
        "“能源诅咒”何以生产? ———基于产权制度的解释 5",
        "世界经济 * 2025年第3期　·30·",
        "世界经济 * 2025年第3期　·31·",
    }


def test_first_and_last_rows_that_are_body_notes_or_table_cells_stay():
    """Only running-line evidence removes an edge row: a note citing an issue, a table cell repeated
    at two page feet, a heading at a page's top are kept."""
    note = "Middle Eastern Studies,Vol.51,No.3,2015,pp.462-464."
    pages = [
        _pdf_page(3, [("一、引言", 10.0)], _body(3), [(note, 8.0)]),
        _pdf_page(4, [("二、文献综述", 10.0)], _body(4), [(note, 8.0)]),
        _pdf_page(5, [("数字治理的研究在近年迅速增加", 10.0)], _body(5), [("R2", 8.0)]),
        _pdf_page(6, [("其中一类文献关注技术本身", 10.0)], _body(6), [("R2", 8.0)]),
    ]
    lines = _numbered(pages)
    assert find_furniture(lines) == {}


def test_a_table_row_above_the_page_number_is_not_absorbed_into_the_footer():
    """A short table cell in the bottom zone, a few lines above the page number, stays (it used to go
    as 'running header next to other furniture'); a label on the page number's own row still goes."""
    lines = []
    for page in (2, 3):
        lines += [
            Line(
                text=f"{_WORDS[page]}类研究在近年迅速增加，学界从多个角度展开讨论",
                page=page,
                x0=90.0,
                x1=500.0,
                top=700.0,
                bottom=711.0,
                size=10.9,
            ),
            Line(
                text={2: "总资产同比增长率", 3: "营业收入同比增长率"}[page],
                page=page,
                x0=200.0,
                x1=300.0,
                top=726.6,
                bottom=737.5,
                size=10.9,
                tags={"bottom-zone"},
            ),
            Line(
                text="中国经济",
                page=page,
                x0=90.0,
                x1=150.0,
                top=770.6,
                bottom=781.5,
                size=9.0,
                tags={"bottom-zone"},
            ),
            Line(
                text=str(page),
                page=page,
                x0=290.0,
                x1=300.0,
                top=770.6,
                bottom=781.5,
                size=10.9,
                tags={"bottom-zone"},
            ),
        ]
    lines = _numbered([lines])
    gone = {lines[i].text for i in find_furniture(lines)}
    assert gone == {"2", "3", "中国经济"}


def test_an_english_issue_line_with_full_width_punctuation_is_furniture():
    """``No．11，2023`` (full-width stop and comma) above an English journal name at the page top."""
    lines = []
    for page in (33, 34):
        lines += [
            Line(
                text="No．11，2023",
                page=page,
                x0=90.0,
                x1=150.0,
                top=58.3,
                bottom=71.2,
                size=11.8,
                tags={"top-zone"},
            ),
            Line(
                text=f"{_WORDS[page % 10]}类研究在近年迅速增加，学界从多个角度展开讨论",
                page=page,
                x0=90.0,
                x1=500.0,
                top=90.0,
                bottom=100.0,
                size=10.3,
            ),
        ]
    lines = _numbered([lines])
    assert {lines[i].text for i in find_furniture(lines)} == {"No．11，2023"}


def test_the_title_on_page_one_is_not_taken_for_the_running_head_that_repeats_it():
    """Page one's title (large, first row) and the same words as a small running head on later pages:
    only the running heads go."""
    title = "人工智能法律治理的路径拓展"
    pages = [_pdf_page(1, [(title, 16.0)], _body(1))]
    pages += [_pdf_page(n, [(title, 9.0)], _body(n)) for n in (2, 3, 4)]
    lines = _numbered(pages)
    assert sorted(lines[i].page for i in find_furniture(lines)) == [2, 3, 4]
