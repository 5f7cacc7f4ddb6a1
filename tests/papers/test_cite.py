"""Citations: our GB/T 7714 and APA entries against citeproc-py rendering the official CSL styles
(../shared/csl, an independent oracle), the known deviations spelled out, and the exports."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from papers import cite
from papers.cite import CitedWork, Person
from tests import factories as f

CSL = Path(__file__).resolve().parents[2].parent / "shared" / "csl"
GBT = "china-national-standard-gb-t-7714-2015-numeric"

WANG, TENG = Person("王佃利"), Person("滕蕾")
FULL = CitedWork(
    title="数字社会治理的场景构建、运行逻辑与公共价值实现",
    authors=[WANG, TENG],
    venue="中国行政管理",
    year=2023,
    volume="39",
    issue="3",
    pages="18-27",
    doi="10.19735/j.issn.1006-0863.2023.03.03",
)
# Works the oracle renders as the standards say (each field present or missing in turn).
CASES = {
    "full": FULL,
    "no doi": CitedWork(**{**FULL.__dict__, "doi": ""}),
    "no volume": CitedWork(**{**FULL.__dict__, "volume": "", "doi": ""}),
    "no issue": CitedWork(**{**FULL.__dict__, "issue": ""}),
    "no pages": CitedWork(**{**FULL.__dict__, "pages": ""}),
    "year only": CitedWork(title="数字鸿沟研究", authors=[WANG], venue="电子政务", year=2021),
    "three authors": CitedWork(
        title="新质生产力",
        authors=[Person("甲一"), Person("乙二"), Person("丙三")],
        venue="经济研究",
        year=2024,
    ),
    "four authors": CitedWork(
        title="新质生产力",
        authors=[Person("甲一"), Person("乙二"), Person("丙三"), Person("丁四")],
        venue="经济研究",
        year=2024,
        pages="5 – 19",
    ),
    "subtitle": CitedWork(
        title="数字鸿沟", subtitle="一个分析框架", authors=[WANG], venue="电子政务", year=2022
    ),
    "english": CitedWork(
        title="The digital divide and common prosperity",
        authors=[Person("Smith", "John Paul"), Person("Lee", "Ann")],
        venue="Journal of Chinese Governance",
        year=2020,
        volume="5",
        issue="2",
        pages="1-10",
        doi="10.1080/23812346.2020.1",
        language="en",
    ),
    "no venue": CitedWork(title="数字社会主义初探", authors=[WANG], year=2019),
    "hyphenated names": CitedWork(
        title="Platforms and the state",
        authors=[Person("Dupont", "Jean-Paul"), Person("Lee", "J.-P.")],
        venue="Policy & Internet",
        year=2021,
        language="en",
    ),
}


def oracle(style: str, work: CitedWork) -> str:
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    path = CSL / f"{style}.csl"
    if not path.is_file():
        pytest.skip(f"CSL style not found at {path}")
    source = CiteProcJSON([cite.csl_json(work, "w")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not know
        bibliography = citeproc.CitationStylesBibliography(
            citeproc.CitationStylesStyle(str(path), validate=False), source, citeproc.formatter.plain
        )
        bibliography.register(citeproc.Citation([citeproc.CitationItem("w")]))
        (entry,) = bibliography.bibliography()
    return str(entry)


@pytest.mark.parametrize("name", CASES)
def test_gbt7714_is_the_csl_styles(name):
    work = CASES[name]
    expected = oracle(GBT, work).removeprefix("[1]")
    ours = cite.gbt7714(work)
    if not work.doi and work.venue:
        # The style's [type/medium] group is suppressed without a DOI or URL: citeproc-py drops
        # [J]; the standard (and every Chinese journal) prints it.
        assert "[J]." in ours
        ours = ours.replace("[J].", ".")
    assert ours == expected


@pytest.mark.parametrize("name", CASES)
def test_apa_is_the_csl_styles(name):
    assert cite.apa(CASES[name]) == oracle("apa", CASES[name])


def test_gbt7714_examples_as_printed():
    assert cite.gbt7714(FULL) == (
        "王佃利, 滕蕾. 数字社会治理的场景构建、运行逻辑与公共价值实现[J/OL]. 中国行政管理, 2023, 39(3): 18-27. "
        "DOI:10.19735/j.issn.1006-0863.2023.03.03."
    )
    assert cite.gbt7714(CASES["no doi"]).endswith("实现[J]. 中国行政管理, 2023, 39(3): 18-27.")
    assert cite.gbt7714(CASES["four authors"]).startswith("甲一, 乙二, 丙三, 等. ")


def test_where_the_oracle_and_the_standards_part_ways():
    many = CitedWork(
        title="Digital divides",
        authors=[Person("Smith", "J"), Person("Lee", "A"), Person("Wu", "B"), Person("Ng", "C")],
        venue="Information Society",
        year=2021,
        language="en",
    )
    # GB/T 7714: "et al" for a Western-language work (the style's locale says 等 for all).
    assert cite.gbt7714(many).startswith("SMITH J, LEE A, WU B, et al. Digital divides[J].")
    assert "等" in oracle(GBT, many)
    # APA: without an author, the title takes its place (citeproc-py prints it twice).
    anonymous = CitedWork(title="数字鸿沟年度报告", venue="电子政务", year=2022)
    assert cite.apa(anonymous) == "数字鸿沟年度报告. (2022). 电子政务."
    assert oracle("apa", anonymous).count("数字鸿沟年度报告") == 2


def test_names_as_printed_in_papers():
    assert cite.person("王 佃利") == Person("王佃利")
    assert cite.person("John Paul Smith") == Person("Smith", "John Paul")
    assert cite.person("Smith, John") == Person("Smith", "John")
    assert cite.person("Madonna") == Person("Madonna")


def test_a_line_break_in_a_field_never_starts_a_record_line():
    work = CitedWork(
        title="数字鸿沟\nTY  - BOOK", authors=[Person("王\n佃利")], venue="刊物\r\nER  - ", year=2020
    )
    ris = cite.ris(work)
    assert ris.count("\r\n") == len(ris.splitlines()) and "\nTY  - BOOK" not in ris
    assert [line[:2] for line in ris.splitlines()] == ["TY", "TI", "AU", "JO", "PY", "LA", "ER"]
    # BibTeX: one line per field, nothing else.
    assert all(line.startswith(("@article{", "  ", "}")) for line in cite.bibtex(work, "k").splitlines())


def test_exports_carry_every_field():
    ris = cite.ris(FULL)
    assert ris.startswith("TY  - JOUR\r\n") and ris.endswith("ER  - \r\n")
    for line in (
        "AU  - 王佃利",
        "AU  - 滕蕾",
        "JO  - 中国行政管理",
        "PY  - 2023",
        "VL  - 39",
        "IS  - 3",
        "SP  - 18",
        "EP  - 27",
    ):
        assert line + "\r\n" in ris
    bib = cite.bibtex(
        CitedWork(title="A_b & {c}", authors=[Person("Smith", "John")], year=2020, pages="1-9"), "k1"
    )
    assert bib.startswith("@article{k1,\n")
    assert (
        "title = {{A\\_b \\& \\{c\\}}}" in bib and "author = {Smith, John}" in bib and "pages = {1--9}" in bib
    )
    data = json.loads(cite.export("json", [(FULL, "paper-1")]))
    assert data[0]["author"] == [{"family": "王佃利"}, {"family": "滕蕾"}]
    assert (data[0]["issued"], data[0]["page"], data[0]["language"]) == (
        {"date-parts": [[2023]]},
        "18-27",
        "zh-CN",
    )


def test_cited_work_of_a_paper(db):
    paper = f.PaperFactory(
        title="数字鸿沟", subtitle="测量与弥合", year=2022, venue="电子政务", pages="3～9", doi=None
    )
    f.AuthorshipFactory(paper=paper, order=1, author=f.AuthorFactory(name="滕蕾"))
    f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name="王佃利"))
    work = cite.cited_work(paper)
    assert (work.authors, work.full_title, work.doi) == ([WANG, TENG], "数字鸿沟：测量与弥合", "")
    assert cite.gbt7714(work) == "王佃利, 滕蕾. 数字鸿沟：测量与弥合[J]. 电子政务, 2022: 3-9."


def test_reader_shows_the_entries_and_offers_the_exports(
    paper_with_text, scholar_client, anonymous_client, settings
):
    from django.urls import reverse

    html = scholar_client.get(reverse("papers:paper-detail", args=[paper_with_text.pk])).content.decode()
    work = cite.cited_work(paper_with_text)
    assert cite.gbt7714(work) in html and "GB/T 7714" in html and "APA" in html
    for fmt, kind in (("ris", "research-info-systems"), ("bib", "bibtex"), ("json", "csl+json")):
        url = reverse("papers:paper-cite", args=[paper_with_text.pk, fmt])
        assert url in html
        response = scholar_client.get(url)
        assert response.status_code == 200 and kind in response["Content-Type"]
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="tanyuan-{paper_with_text.pk}.{"json" if fmt == "json" else fmt}"'
        )
        assert "数字鸿沟与共同富裕" in response.content.decode()
    assert (
        scholar_client.get(reverse("papers:paper-cite", args=[paper_with_text.pk, "docx"])).status_code == 404
    )
    settings.KB_PUBLIC_READ = False
    assert anonymous_client.get(
        reverse("papers:paper-cite", args=[paper_with_text.pk, "ris"])
    ).status_code in (302, 403)


def test_a_draft_cannot_be_cited_by_a_scholar(db, scholar_client):
    from django.urls import reverse

    draft = f.PaperFactory(title="草稿", status="draft")
    assert scholar_client.get(reverse("papers:paper-cite", args=[draft.pk, "ris"])).status_code == 404
