"""The record parsers: every format, CNKI's exports as they come (GBK, CRLF, full-width colons)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papers.records import (
    ERROR_FORMAT,
    ERROR_NO_TITLE,
    ERROR_TOO_MANY,
    RecordFileError,
    detect_format,
    looks_like_records,
    parse_records,
)
from papers.records.normalise import doc_type, keywords, people

FIXTURES = Path(__file__).parent / "fixtures"
TITLE = "数字鸿沟的生成逻辑与弥合路径——基于共同富裕的视角"
DOI = "10.16637/j.cnki.23-1360/d.2023.01.012"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("cnki_endnote.txt", "endnote"),
        ("cnki_noteexpress.net", "noteexpress"),
        ("cnki_refworks.txt", "refworks"),
        ("zotero.ris", "ris"),
        ("zotero.bib", "bibtex"),
        ("items.json", "csl-json"),
        ("zotero.rdf", "zotero-rdf"),
    ],
)
def test_format_is_told_by_content_whatever_the_name(name, fmt):
    assert parse_records(fixture(name)).format == fmt
    assert looks_like_records(fixture(name)) == fmt


@pytest.mark.parametrize(
    "text",
    [
        "数字鸿沟与共同富裕\n\n王佃利\n\n摘要：数字鸿沟是社会不平等的新形态。\n",
        "# 标题\n\n正文里提到 %0 这个记号，也提到 TY  - JOUR。\n",
        '{"not": "a record"}',
        "",
    ],
)
def test_a_paper_or_other_text_is_not_a_record_file(text):
    assert detect_format(text) is None
    assert looks_like_records(text.encode()) is None
    with pytest.raises(RecordFileError):
        parse_records(text.encode())


def test_unknown_format_says_which_formats_are_read():
    with pytest.raises(RecordFileError) as exc:
        parse_records("普通的一段文字\n第二行\n".encode())
    assert str(exc.value) == str(ERROR_FORMAT)


def test_cnki_endnote_journal_article_every_field():
    result = parse_records(fixture("cnki_endnote.txt"))
    assert result.errors == []
    article, thesis, newspaper = result.records
    assert article.line == 1 and article.format == "endnote"
    assert article.doc_type == "article"
    assert article.title == TITLE
    assert article.authors == ["王佃利", "滕蕾"]
    assert (article.venue, article.year, article.volume, article.issue, article.pages) == (
        "行政论坛",
        2023,
        "30",
        "01",
        "94-101",
    )
    assert article.keywords == ["数字鸿沟", "共同富裕", "数字治理", "数字包容"]
    assert article.abstract.startswith("数字鸿沟是数字时代社会不平等的新形态")
    assert article.doi == DOI
    assert article.issn == "1005-460X"
    assert article.record_extra["cn"] == "23-1360/D"
    assert article.record_extra["database"] == "CNKI"
    assert article.language == "zh"
    assert article.raw.startswith("%0 Journal Article\n%A 王佃利")


def test_cnki_endnote_thesis_and_newspaper():
    _, thesis, newspaper = parse_records(fixture("cnki_endnote.txt")).records
    assert thesis.line == 18
    assert (thesis.doc_type, thesis.institution, thesis.degree, thesis.advisor) == (
        "thesis",
        "华中师范大学",
        "硕士",
        "李华",
    )
    assert thesis.venue == ""
    assert thesis.keywords == ["共同富裕", "数字鸿沟", "农村老年人", "数字反哺"]  # ";;" separated
    assert newspaper.line == 29
    assert (newspaper.doc_type, newspaper.venue, newspaper.published, newspaper.year) == (
        "newspaper",
        "人民日报",
        "2022-03-15",
        2022,
    )


def test_cnki_endnote_as_gbk_with_windows_line_ends():
    text = fixture("cnki_endnote.txt").decode()
    data = text.replace("\n", "\r\n").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = parse_records(data)
    assert [r.title for r in result.records] == [r.title for r in parse_records(text).records]
    assert [r.line for r in result.records] == [1, 18, 29]
    assert result.records[0].abstract.endswith("三个方面系统弥合数字鸿沟。")
    assert not any("\r" in r.raw for r in result.records)


def test_utf8_bom_and_utf16_files():
    text = fixture("cnki_endnote.txt").decode()
    assert parse_records(b"\xef\xbb\xbf" + text.encode()).records[0].title == TITLE
    assert parse_records(text.encode("utf-16")).records[0].title == TITLE


def test_noteexpress_full_width_colons_and_repeated_authors():
    result = parse_records(fixture("cnki_noteexpress.net"))
    assert result.errors == []
    article, thesis, newspaper, conference = result.records
    assert article.authors == ["王佃利", "滕蕾"]  # "王佃利;滕蕾;"
    assert article.abstract.startswith("数字鸿沟是")  # {Abstract}：full-width colon
    assert article.issn == "1005-460X"  # {ISBN/ISSN}:no space
    assert article.record_extra["cn"] == "23-1360/D"
    assert (thesis.doc_type, thesis.degree, thesis.advisor, thesis.institution) == (
        "thesis",
        "硕士",
        "李华",
        "华中师范大学",
    )
    assert (newspaper.doc_type, newspaper.venue, newspaper.published) == (
        "newspaper",
        "人民日报",
        "2022-03-15",
    )
    # every colon of this record is full-width, its start tag too
    assert conference.line == 38
    assert (conference.doc_type, conference.authors, conference.place) == (
        "conference",
        ["唐任伍", "孟娜"],
        "北京",
    )


def test_noteexpress_keeps_the_web_address_of_its_url_lines():
    data = (
        "{Reference Type}: Journal Article\n{Title}: 数字鸿沟\n{Author}: 张明\n"
        "{URL}: D:\\papers\\a.pdf\n{URL}: https://kns.cnki.net/kcms2/article/abstract?v=demo\n{Year}: 2021\n"
    )
    (record,) = parse_records(data.encode()).records
    assert record.url == "https://kns.cnki.net/kcms2/article/abstract?v=demo"


def test_noteexpress_in_gb18030_with_crlf():
    data = fixture("cnki_noteexpress.net").decode().replace("\n", "\r\n").encode("gb18030")
    assert [r.doc_type for r in parse_records(data).records] == [
        "article",
        "thesis",
        "newspaper",
        "conference",
    ]


def test_refworks_cnki_export():
    article, thesis = parse_records(fixture("cnki_refworks.txt")).records
    assert article.authors == ["王佃利", "滕蕾"]
    assert (article.venue, article.year, article.pages, article.doi) == ("行政论坛", 2023, "94-101", DOI)
    # the abstract continues on the next line: joined without a stray space
    assert "能力差距" in article.abstract and "， 也" not in article.abstract
    assert article.record_extra["cn"] == "23-1360/D"
    assert thesis.line == 20 and thesis.doc_type == "thesis" and thesis.advisor == "李华"


def test_ris_from_zotero():
    article, english = parse_records(fixture("zotero.ris")).records
    assert article.authors == ["王佃利", "滕蕾"]  # "王, 佃利"
    assert (article.venue, article.pages, article.published, article.doi) == (
        "行政论坛",
        "94-101",
        "2023-01-15",
        DOI,
    )
    assert article.keywords == ["数字鸿沟", "共同富裕"]
    assert english.line == 20 and english.authors == ["Renwu Tang"] and english.language == "en"


def test_ris_with_loose_tag_spacing():
    data = "TY - JOUR\nTI - 新质生产力的理论逻辑\nAU - 周文\nPY - 2024\nER -\n".encode()
    [record] = parse_records(data).records
    assert (record.title, record.authors, record.year) == ("新质生产力的理论逻辑", ["周文"], 2024)


def test_bibtex_entries_strings_and_a_broken_entry():
    result = parse_records(fixture("zotero.bib"))
    article, thesis, english = result.records
    assert article.venue == "行政论坛"  # from @string
    assert article.authors == ["王佃利", "滕蕾"]
    assert article.pages == "94-101"
    assert (thesis.doc_type, thesis.degree, thesis.institution) == ("thesis", "硕士", "华中师范大学")
    assert english.title == "The Digital Divide Revisited" and english.authors == ["John Smith", "Jane Doe"]
    assert english.venue == "New Media & Society"
    assert [(e.line, e.message) for e in result.errors] == [(24, "BibTeX 条目无法解析。")]


def test_csl_json_items_and_an_item_without_title():
    result = parse_records(fixture("items.json"))
    article, newspaper = result.records
    assert article.line == 2 and article.authors == ["王佃利", "滕蕾"]
    assert (article.published, article.year, article.issn) == ("2023-01", 2023, "1005-460X")
    assert newspaper.doc_type == "newspaper" and newspaper.published == "2022-03-15"
    assert newspaper.authors == ["本报评论员"]
    assert [(e.line, e.message) for e in result.errors] == [(26, str(ERROR_NO_TITLE))]


def test_csl_json_single_object():
    data = json.dumps(
        {"type": "thesis", "title": "数字治理研究", "publisher": "北京大学"}, ensure_ascii=False
    )
    [record] = parse_records(data.encode()).records
    assert (record.doc_type, record.institution) == ("thesis", "北京大学")


def test_broken_record_is_reported_with_its_line_and_the_others_are_read():
    text = "%0 Journal Article\n%A 张三\n%J 无题名期刊\n%D 2020\n\n" + fixture("cnki_endnote.txt").decode()
    result = parse_records(text.encode())
    assert [(e.line, e.message) for e in result.errors] == [(1, str(ERROR_NO_TITLE))]
    assert [r.line for r in result.records] == [6, 23, 34]


def test_record_limit_is_enforced():
    one = "%0 Journal Article\n%T 题名{n}\n%A 作者\n\n"
    data = "".join(one.format(n=i) for i in range(5)).encode()
    result = parse_records(data, max_records=3)
    assert len(result.records) == 3 and result.truncated
    assert result.errors[-1].message == str(ERROR_TOO_MANY % {"max": 3})


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Journal Article", "article"),
        ("Thesis", "thesis"),
        ("学位论文", "thesis"),
        ("Dissertation/Thesis", "thesis"),
        ("[N]", "newspaper"),
        ("Newspaper Article", "newspaper"),
        ("Conference Proceedings", "conference"),
        ("CPAPER", "conference"),
        ("Book", "book"),
        ("Book Section", "chapter"),
        ("CHAP", "chapter"),
        ("Report", "report"),
        ("RPRT", "report"),
        ("Patent", "other"),
    ],
)
def test_document_types(label, expected):
    assert doc_type(label) == expected


def test_names_and_keywords():
    assert people(["王佃利;滕蕾;"]) == ["王佃利", "滕蕾"]
    assert people(["王佃利，滕蕾"]) == ["王佃利", "滕蕾"]
    assert people(["Smith, John", "欧阳, 修"]) == ["John Smith", "欧阳修"]
    assert people(["TANG Renwu"]) == ["TANG Renwu"]
    assert keywords(["共同富裕;;数字鸿沟;;"]) == ["共同富裕", "数字鸿沟"]
    assert keywords(["公共价值；数字政府，数字治理"]) == ["公共价值", "数字政府", "数字治理"]


def test_ris_as_cnki_exports_it():
    data = "\r\n".join(
        [
            "TY  - JOUR",
            "AU  - 王佃利;滕蕾",
            "T1  - 数字鸿沟的生成逻辑与弥合路径——基于共同富裕的视角",
            "JF  - 行政论坛",
            "Y1  - 2023",
            "IS  - 01",
            "SP  - 94-101",
            "KW  - 数字鸿沟;共同富裕",
            "N2  - 数字鸿沟是数字时代社会不平等的新形态。",
            "SN  - 1005-460X",
            "CN  - 23-1360/D",
            "DB  - CNKI",
            "XX  - 未知的标签",
            "ER  - ",
            "",
        ]
    ).encode("gbk")
    [record] = parse_records(data).records
    assert (record.title, record.authors, record.venue, record.year) == (
        TITLE,
        ["王佃利", "滕蕾"],
        "行政论坛",
        2023,
    )
    assert (record.pages, record.issue, record.keywords) == ("94-101", "01", ["数字鸿沟", "共同富裕"])
    assert record.abstract == "数字鸿沟是数字时代社会不平等的新形态。"
    assert record.record_extra == {"cn": "23-1360/D", "database": "CNKI"}


def test_csl_json_items_before_a_broken_one_are_read():
    data = '[\n{"type": "article-journal", "title": "第一条"},\n{"type": \n'.encode()
    result = parse_records(data)
    assert [r.title for r in result.records] == ["第一条"]
    assert [e.line for e in result.errors] == [3]


def test_zotero_rdf_read_by_rdflib():
    result = parse_records(fixture("zotero.rdf"))
    assert result.format == "zotero-rdf" and result.errors == []
    article, thesis = result.records  # the note is not a record
    assert article.line == 10 and thesis.line == 50
    assert (article.title, article.authors, article.venue, article.volume, article.issue) == (
        TITLE,
        ["王佃利", "滕蕾"],
        "行政论坛",
        "30",
        "1",
    )
    assert (article.doi, article.issn, article.pages, article.year) == (DOI, "1005-460X", "94-101", 2023)
    assert article.keywords == ["数字鸿沟", "共同富裕"] and article.language == "zh"
    assert article.url == "https://kns.cnki.net/kcms2/article/abstract?v=demo"
    assert (thesis.doc_type, thesis.institution, thesis.degree, thesis.authors) == (
        "thesis",
        "华中师范大学",
        "硕士",
        ["刘芷君"],
    )


def test_broken_zotero_rdf_is_one_error():
    data = fixture("zotero.rdf").replace(b"</rdf:RDF>", b"")
    result = parse_records(data)
    assert result.records == [] and result.errors[0].message.startswith("RDF/XML")
