"""Exports survive a round trip: what we write as RIS, BibTeX and CSL-JSON, read back with rispy,
bibtexparser and the CSL-JSON schema, gives the same record field by field."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.bparser import BibTexParser

from papers import cite
from papers.cite import CitedWork, Person

ARTICLE = CitedWork(
    title="数字社会治理的场景构建、运行逻辑与公共价值实现",
    authors=[Person("王", "佃利"), Person("滕", "蕾"), Person("欧阳", "修")],
    venue="中国行政管理",
    year=2023,
    volume="39",
    issue="3",
    pages="18-27",
    doi="10.19735/j.issn.1006-0863.2023.03.03",
    issn="1006-0863",
    url="https://kns.cnki.net/kcms/detail/11.1010.D.20230301.html",
    abstract="数字社会治理是国家治理现代化的重要内容。本文从场景出发……",
    keywords=["数字社会治理", "公共价值", "场景"],
)
THESIS = CitedWork(
    title="数字乡村治理研究",
    authors=[Person("李", "明")],
    kind="thesis",
    institution="南京大学",
    place="南京",
    year=2026,
    degree="博士",
    abstract="本文研究数字乡村。",
    keywords=["数字乡村"],
)
NEWSPAPER = CitedWork(
    title="扎实推动共同富裕",
    authors=[Person("习", "近平")],
    kind="newspaper",
    venue="人民日报",
    year=2022,
    published="2022-03-15",
    pages="5",
)
ENGLISH = CitedWork(
    title="Platform governance & the {state}: 50% of A_b",
    authors=[Person("TANG", "Renwu"), Person("Smith", "John Paul"), Person("van Beethoven", "Ludwig")],
    venue="Journal of Chinese Governance",
    year=2021,
    volume="6",
    issue="2",
    pages="101-130",
    language="en",
    online_only=True,
    url="https://example.org/jcg/6/2/101",
    accessed="2024-05-01",
    keywords=["platforms", "state capacity"],
)
WORKS = {"article": ARTICLE, "thesis": THESIS, "newspaper": NEWSPAPER, "english": ENGLISH}


def _fields(work: CitedWork) -> dict:
    """What a reference manager keeps of a work: the fields every export carries."""
    return {
        "title": work.full_title,
        "authors": [(p.family, p.given) for p in work.authors],
        "venue": work.venue,
        "date": work.iso_date,
        "volume": work.volume,
        "issue": work.issue,
        "pages": work.pages,
        "doi": work.doi,
        "url": work.url,
        "issn": work.issn,
        "language": work.language,
        "abstract": work.abstract,
        "keywords": work.keywords,
        "institution": work.institution if work.kind == "thesis" else "",
        "place": work.place,
        "accessed": work.accessed,
    }


def _name(value: str) -> tuple[str, str]:
    family, _, given = value.partition(", ")
    return family, given


def _from_ris(record: dict) -> dict:
    pages = "-".join(x for x in (record.get("start_page", ""), record.get("end_page", "")) if x)
    date = record.get("date", "").rstrip("/").replace("/", "-") or record.get("year", "")
    return {
        "title": record.get("title", ""),
        "authors": [_name(a) for a in record.get("authors", [])],
        "venue": record.get("secondary_title", ""),
        "date": date,
        "volume": record.get("volume", ""),
        "issue": record.get("number", ""),
        "pages": pages,
        "doi": record.get("doi", ""),
        "url": (record.get("urls") or [""])[0],
        "issn": record.get("issn", ""),
        "language": record.get("language", ""),
        "abstract": record.get("abstract", ""),
        "keywords": record.get("keywords", []),
        "institution": record.get("publisher", "") if record["type_of_reference"] == "THES" else "",
        "place": record.get("place_published", ""),
        "accessed": record.get("access_date", ""),
    }


def _from_bibtex(entry: dict) -> dict:
    get = lambda name: cite.bibtex_unescape(entry.get(name, ""))  # noqa: E731 (a local shorthand)
    keywords = [k.strip() for k in get("keywords").split(",") if k.strip()]
    return {
        "title": get("title"),
        "authors": [_name(a) for a in get("author").split(" and ")] if get("author") else [],
        "venue": get("journal"),
        "date": get("date") or get("year"),
        "volume": get("volume"),
        "issue": get("number"),
        "pages": get("pages").replace("--", "-"),
        "doi": get("doi"),
        "url": get("url"),
        "issn": get("issn"),
        "language": get("language"),
        "abstract": get("abstract"),
        "keywords": keywords,
        "institution": get("school"),
        "place": get("address"),
        "accessed": get("urldate"),
    }


def _from_csl(item: dict) -> dict:
    def date(key: str) -> str:
        parts = item.get(key, {}).get("date-parts", [[]])[0]
        return "-".join([str(parts[0]), *(f"{x:02d}" for x in parts[1:])]) if parts else ""

    return {
        "title": item.get("title", ""),
        "authors": [(a["family"], a.get("given", "")) for a in item.get("author", [])],
        "venue": item.get("container-title", ""),
        "date": date("issued"),
        "volume": item.get("volume", ""),
        "issue": item.get("issue", ""),
        "pages": item.get("page", ""),
        "doi": item.get("DOI", ""),
        "url": item.get("URL", ""),
        "issn": item.get("ISSN", ""),
        "language": item.get("language", ""),
        "abstract": item.get("abstract", ""),
        "keywords": [k.strip() for k in item.get("keyword", "").split(",") if k.strip()],
        "institution": item.get("publisher", "") if item["type"] == "thesis" else "",
        "place": item.get("publisher-place", ""),
        "accessed": date("accessed"),
    }


@pytest.mark.parametrize("name", WORKS)
def test_ris_round_trip_with_rispy(name):
    work = WORKS[name]
    (record,) = rispy.loads(cite.ris(work))
    assert _from_ris(record) == _fields(work)
    assert record["type_of_reference"] == {"thesis": "THES", "newspaper": "NEWS"}.get(name, "JOUR")
    assert "journal_name" not in record  # T2, not JO


@pytest.mark.parametrize("name", WORKS)
def test_bibtex_round_trip_with_bibtexparser(name):
    work = WORKS[name]
    (entry,) = bibtexparser.loads(cite.bibtex(work, "k"), parser=BibTexParser(common_strings=True)).entries
    assert _from_bibtex(entry) == _fields(work)


@pytest.mark.parametrize("name", WORKS)
def test_csl_json_round_trip(name):
    work = WORKS[name]
    (item,) = json.loads(cite.export("json", [(work, "k")]))
    assert _from_csl(item) == _fields(work)


def test_many_works_in_one_file_round_trip():
    works = [(work, f"k{n}") for n, work in enumerate(WORKS.values())]
    assert [_from_ris(r) for r in rispy.loads(cite.export("ris", works))] == [
        _fields(w) for w in WORKS.values()
    ]
    entries = bibtexparser.loads(cite.export("bib", works), parser=BibTexParser(common_strings=True)).entries
    assert sorted(e["ID"] for e in entries) == ["k0", "k1", "k2", "k3"]
    assert [_from_csl(i) for i in json.loads(cite.export("json", works))] == [
        _fields(w) for w in WORKS.values()
    ]
    assert json.loads(cite.export("json", [])) == []


# The fields we write, typed as the CSL-JSON schema (citation-style-language/schema, csl-data.json)
# types them; with the official schema beside the styles (../shared/csl/csl-data.json) that one too.
_NAME = {
    "type": "object",
    "properties": {"family": {"type": "string"}, "given": {"type": "string"}},
    "required": ["family"],
    "additionalProperties": False,
}
_DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}},
        }
    },
    "additionalProperties": False,
}
_STRING_FIELDS = [
    "title",
    "container-title",
    "volume",
    "issue",
    "page",
    "DOI",
    "URL",
    "ISSN",
    "publisher",
    "publisher-place",
    "genre",
    "abstract",
    "keyword",
    "language",
]
CSL_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": {"type": ["string", "number"]},
            "type": {"enum": sorted(set(cite.exports.CSL_TYPES.values()))},
            "author": {"type": "array", "items": _NAME},
            "issued": _DATE,
            "accessed": _DATE,
            **{name: {"type": "string", "minLength": 1} for name in _STRING_FIELDS},
        },
        "required": ["id", "type"],
        "additionalProperties": False,
    },
}
OFFICIAL_SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "csl" / "csl-data.json"


def test_csl_json_is_valid():
    document = json.loads(cite.export("json", [(w, name) for name, w in WORKS.items()]))
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(document)
    if OFFICIAL_SCHEMA.is_file():
        jsonschema.Draft7Validator(json.loads(OFFICIAL_SCHEMA.read_text())).validate(document)
    # The check can fail: an empty string or an unknown field is refused.
    broken = [{**document[0], "title": ""}, {**document[1], "keywords": "x"}]
    assert len(list(jsonschema.Draft7Validator(CSL_SCHEMA).iter_errors(broken))) == 2


def test_chinese_names_are_family_and_given_everywhere():
    assert "AU  - 王, 佃利\r\n" in cite.ris(ARTICLE)
    assert "author = {王, 佃利 and 滕, 蕾 and 欧阳, 修}" in cite.bibtex(ARTICLE, "k")
    assert cite.csl_json(ARTICLE, "k")["author"][2] == {"family": "欧阳", "given": "修"}


def test_nothing_is_written_empty():
    bare = CitedWork(title="", year=None)
    assert "{}" not in cite.bibtex(bare, "k").replace("@article{k,", "")
    assert all(not line.endswith("-  ") for line in cite.ris(bare).splitlines()[:-1])
    assert set(cite.csl_json(bare, "k")) == {"id", "type", "language"}
    assert "title" not in cite.bibtex(replace(ARTICLE, title=""), "k")


# -- through the record import (papers.records): export, import, the same paper fields --------------


def _record_fields(work: CitedWork) -> dict:
    return {
        "doc_type": work.kind,
        "title": work.full_title,
        "authors": [p.display for p in work.authors],
        "venue": work.venue,
        "year": work.year,
        "volume": work.volume,
        "issue": work.issue,
        "pages": work.pages,
        "doi": work.doi,
        "url": work.url,
        "issn": work.issn,
        "abstract": work.abstract,
        "keywords": work.keywords,
        "institution": work.institution,
        "place": work.place,
    }


@pytest.mark.parametrize("fmt", ["ris", "bib", "json"])
@pytest.mark.parametrize("name", ["article", "thesis", "newspaper"])
def test_exports_import_back_as_the_same_records(fmt, name):
    from papers.records import parse_records

    work = WORKS[name]
    parsed = parse_records(cite.export(fmt, [(work, "k")]).encode())
    assert not parsed.errors
    (record,) = parsed.records
    got = {key: getattr(record, key) for key in _record_fields(work)}
    assert got == _record_fields(work)
