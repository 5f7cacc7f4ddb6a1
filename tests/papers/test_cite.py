"""Citations: our GB/T 7714 and APA entries against citeproc-py rendering the official CSL styles
(../shared/csl, an independent oracle), the known deviations spelled out, and the exports."""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from papers import cite
from papers.cite import CitedWork, Person
from tests import factories as f

CSL = Path(__file__).resolve().parents[2].parent / "shared" / "csl"
GBT = "china-national-standard-gb-t-7714-2015-numeric"

WANG, TENG = Person("王", "佃利"), Person("滕", "蕾")
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
FOUR = [Person("甲", "一"), Person("乙", "二"), Person("丙", "三"), Person("丁", "四")]
THESIS = CitedWork(
    title="数字乡村治理研究",
    authors=[Person("李", "明")],
    kind="thesis",
    institution="南京大学",
    place="南京",
    year=2026,
    degree="博士",
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
ONLINE = CitedWork(
    title="数字鸿沟的新形态",
    authors=[WANG],
    venue="电子政务",
    year=2024,
    issue="2",
    pages="1-9",
    online_only=True,
    url="https://example.org/a/1",
    accessed="2024-05-01",
)
# Works the oracle renders as the standards say (each field present or missing in turn).
CASES = {
    "full": FULL,
    "no doi": replace(FULL, doi=""),
    "no volume": replace(FULL, volume="", doi=""),
    "no issue": replace(FULL, issue=""),
    "no pages": replace(FULL, pages=""),
    "year only": CitedWork(title="数字鸿沟研究", authors=[WANG], venue="电子政务", year=2021),
    "three authors": CitedWork(title="新质生产力", authors=FOUR[:3], venue="经济研究", year=2024),
    "four authors": CitedWork(title="新质生产力", authors=FOUR, venue="经济研究", year=2024, pages="5 – 19"),
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
    "hyphenated names": CitedWork(
        title="Platforms and the state",
        authors=[Person("Dupont", "Jean-Paul"), Person("Lee", "J.-P.")],
        venue="Policy & Internet",
        year=2021,
        language="en",
    ),
    "thesis": THESIS,
    "newspaper": NEWSPAPER,
    "online only": ONLINE,
}
# The APA style of citeproc-py and APA 7 differ for theses (genre handling); those are asserted below.
APA_CASES = [name for name in CASES if name != "thesis"]
_TYPE_CODE = re.compile(r"\[(?:J|D|N|M|C|R|Z|EB)(?:/OL)?\]")


def oracle(style: str, work: CitedWork) -> str:
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    path = CSL / f"{style}.csl"
    if not path.is_file():
        pytest.skip(f"CSL style not found at {path}")
    item = cite.csl_json(work, "w")
    # citeproc-py splits a Chinese family/given pair with a space (GB/T) or initials (APA); the
    # standards print the name whole, so the oracle gets it whole.
    item["author"] = [
        {"family": a["family"] + a.get("given", "")} if Person(a["family"], a.get("given", "")).is_han else a
        for a in item.get("author", [])
    ]
    source = CiteProcJSON([item])
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
    # The document type code is the standard's, asserted on its own below: the CSL style prints
    # [J/OL] for any DOI or URL and drops the code without one; the standard prints [J] unless
    # the work is online-only.
    assert _TYPE_CODE.search(ours)
    assert _TYPE_CODE.sub("", ours) == _TYPE_CODE.sub("", expected)


@pytest.mark.parametrize("name", APA_CASES)
def test_apa_is_the_csl_styles(name):
    assert cite.apa(CASES[name]) == oracle("apa", CASES[name])


def test_gbt7714_examples_as_printed():
    assert cite.gbt7714(FULL) == (
        "王佃利, 滕蕾. 数字社会治理的场景构建、运行逻辑与公共价值实现[J]. 中国行政管理, 2023, 39(3): 18-27. "
        "DOI:10.19735/j.issn.1006-0863.2023.03.03."
    )
    assert cite.gbt7714(CASES["no doi"]).endswith("实现[J]. 中国行政管理, 2023, 39(3): 18-27.")
    assert cite.gbt7714(CASES["four authors"]).startswith("甲一, 乙二, 丙三, 等. ")


def test_gbt7714_thesis_names_place_and_institution():
    assert cite.gbt7714(THESIS) == "李明. 数字乡村治理研究[D]. 南京: 南京大学, 2026."
    # The standard's placeholder for an unknown place (§8.4.1.3), never an empty segment.
    assert (
        cite.gbt7714(replace(THESIS, place="")) == "李明. 数字乡村治理研究[D]. [出版地不详]: 南京大学, 2026."
    )


def test_gbt7714_newspaper_has_the_full_date_and_page():
    assert cite.gbt7714(NEWSPAPER) == "习近平. 扎实推动共同富裕[N]. 人民日报, 2022-03-15(5)."


def test_gbt7714_online_only_has_access_date_and_url():
    assert cite.gbt7714(ONLINE) == (
        "王佃利. 数字鸿沟的新形态[J/OL]. 电子政务, 2024(2): 1-9[2024-05-01]. https://example.org/a/1."
    )
    # A DOI alone does not make a printed journal "/OL".
    assert "[J]." in cite.gbt7714(replace(ONLINE, online_only=False, doi="10.1/x"))
    # Online-only without a known access date: no empty brackets.
    assert cite.gbt7714(replace(ONLINE, accessed="")).endswith("2024(2): 1-9. https://example.org/a/1.")


def test_gbt7714_pinyin_names_one_initial_per_syllable():
    work = CitedWork(
        title="Digital governance",
        authors=[cite.person("TANG Renwu"), cite.person("Dianli Wang"), cite.person("John Smith")],
        venue="Chinese Public Administration Review",
        year=2021,
        language="en",
    )
    assert cite.gbt7714(work).startswith("TANG R W, WANG D L, SMITH J. Digital governance[J].")
    # The CSL style (citeproc-py) gives one initial per given name: TANG R.
    assert oracle(GBT, work).startswith("[1]TANG R, WANG D, SMITH J.")


def test_more_than_three_authors():
    chinese = CitedWork(title="新质生产力", authors=FOUR, venue="经济研究", year=2024)
    assert cite.gbt7714(chinese).startswith("甲一, 乙二, 丙三, 等. 新质生产力[J].")
    english = CitedWork(
        title="Digital divides",
        authors=[Person("Smith", "J"), Person("Lee", "A"), Person("Wu", "B"), Person("Ng", "C")],
        venue="Information Society",
        year=2021,
        language="en",
    )
    assert cite.gbt7714(english).startswith("SMITH J, LEE A, WU B, et al. Digital divides[J].")
    assert "等" in oracle(GBT, english)  # the style's locale says 等 for all


def test_apa_where_the_oracle_and_the_standard_part_ways():
    # Without an author, the title takes its place (citeproc-py prints it twice).
    anonymous = CitedWork(title="数字鸿沟年度报告", venue="电子政务", year=2022)
    assert cite.apa(anonymous) == "数字鸿沟年度报告. (2022). 电子政务."
    assert oracle("apa", anonymous).count("数字鸿沟年度报告") == 2
    assert cite.apa(THESIS) == "李明. (2026). 数字乡村治理研究 [Doctoral dissertation, 南京大学]."
    assert cite.apa(NEWSPAPER) == "习近平. (2022, March 15). 扎实推动共同富裕. 人民日报, 5."


@pytest.mark.parametrize(
    ("work", "missing", "message"),
    [
        (CitedWork(title="数字社会主义初探", authors=[WANG]), ["journal", "year"], "缺少期刊名和年份"),
        (CitedWork(title="", venue="电子政务", year=2022), ["title"], "缺少题名"),
        (replace(THESIS, institution=""), ["institution"], "缺少学位授予单位"),
        (replace(NEWSPAPER, published="", year=None), ["date"], "缺少出版日期"),
        (replace(ONLINE, url=""), ["url"], "缺少网址"),
        (CitedWork(title=""), ["title", "journal", "year"], "缺少题名、期刊名和年份"),
    ],
)
def test_missing_elements_are_named_never_printed_broken(work, missing, message):
    assert cite.missing_elements(work) == missing
    assert cite.missing_message(missing).startswith(message)
    assert cite.gbt7714(work) == "" and cite.apa(work) == ""


def test_missing_message_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert cite.missing_message(["journal", "year"]).startswith("Missing journal title and year")


def test_no_entry_has_an_empty_segment():
    for work in CASES.values():
        for entry in (cite.gbt7714(work), cite.apa(work)):
            assert (
                entry and not entry.startswith((".", " ", ",")) and ". ." not in entry and ", ," not in entry
            )
    assert "title" not in cite.bibtex(CitedWork(title="", venue="电子政务", year=2022), "k")
    assert "TI  -" not in cite.ris(CitedWork(title=""))


def test_names_as_printed_in_papers():
    assert cite.person("王佃利") == Person("王", "佃利")
    assert cite.person("欧阳修") == Person("欧阳", "修")
    assert cite.person("TANG Renwu") == Person("TANG", "Renwu")
    assert cite.person("John Paul Smith") == Person("Smith", "John Paul")
    assert cite.person("Smith, John") == Person("Smith", "John")
    assert cite.person("Madonna") == Person("Madonna")


def test_a_line_break_in_a_field_never_starts_a_record_line():
    work = CitedWork(
        title="数字鸿沟\nTY  - BOOK", authors=[Person("王\n佃利")], venue="刊物\r\nER  - ", year=2020
    )
    ris = cite.ris(work)
    assert ris.count("\r\n") == len(ris.splitlines()) and "\nTY  - BOOK" not in ris
    assert [line[:2] for line in ris.splitlines()] == ["TY", "TI", "AU", "T2", "PY", "LA", "ER"]
    # BibTeX: one line per field, nothing else.
    assert all(line.startswith(("@article{", "  ", "}")) for line in cite.bibtex(work, "k").splitlines())


def test_exports_carry_every_field():
    ris = cite.ris(FULL)
    assert ris.startswith("TY  - JOUR\r\n") and ris.endswith("ER  - \r\n")
    for line in (
        "AU  - 王, 佃利",
        "AU  - 滕, 蕾",
        "T2  - 中国行政管理",
        "PY  - 2023",
        "VL  - 39",
        "IS  - 3",
        "SP  - 18",
        "EP  - 27",
    ):
        assert line + "\r\n" in ris
    assert "JO  -" not in ris
    bib = cite.bibtex(
        CitedWork(title="A_b & {c}", authors=[Person("Smith", "John")], year=2020, pages="1-9"), "k1"
    )
    assert bib.startswith("@article{k1,\n")
    assert (
        "title = {{A\\_b \\& \\{c\\}}}" in bib and "author = {Smith, John}" in bib and "pages = {1--9}" in bib
    )
    assert "author = {王, 佃利 and 滕, 蕾}" in cite.bibtex(FULL, "k")
    data = json.loads(cite.export("json", [(FULL, "paper-1")]))
    assert data[0]["author"] == [{"family": "王", "given": "佃利"}, {"family": "滕", "given": "蕾"}]
    assert (data[0]["issued"], data[0]["page"], data[0]["language"]) == (
        {"date-parts": [[2023]]},
        "18-27",
        "zh",
    )


def test_theses_are_phd_or_masters_theses_with_school():
    assert cite.bibtex(THESIS, "k").startswith("@phdthesis{k,")
    masters = cite.bibtex(replace(THESIS, degree="硕士"), "k")
    assert masters.startswith("@mastersthesis{k,") and "school = {南京大学}" in masters
    assert "TY  - THES" in cite.ris(THESIS) and "PB  - 南京大学" in cite.ris(THESIS)
    assert cite.csl_json(THESIS, "k")["type"] == "thesis"


def test_cited_work_of_a_paper(db):
    paper = f.PaperFactory(
        title="数字鸿沟",
        subtitle="测量与弥合",
        year=2022,
        venue="电子政务",
        pages="3～9",
        doi=None,
        abstract="本文讨论数字鸿沟。",
        keywords=["数字鸿沟", "共同富裕"],
        issn="1672-7223",
        record_extra={"accessed": "2024-05-01"},
    )
    f.AuthorshipFactory(paper=paper, order=1, author=f.AuthorFactory(name="滕蕾"))
    f.AuthorshipFactory(paper=paper, order=0, author=f.AuthorFactory(name="王佃利"))
    work = cite.cited_work(paper)
    assert (work.authors, work.full_title, work.doi) == ([WANG, TENG], "数字鸿沟：测量与弥合", "")
    assert (work.abstract, work.keywords, work.issn, work.accessed) == (
        "本文讨论数字鸿沟。",
        ["数字鸿沟", "共同富裕"],
        "1672-7223",
        "2024-05-01",
    )
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


def test_reader_names_missing_elements_instead_of_a_broken_reference(db, scholar_client):
    from django.urls import reverse

    paper = f.PaperFactory(title="数字社会主义初探", venue="", year=None)
    html = scholar_client.get(reverse("papers:paper-detail", args=[paper.pk])).content.decode()
    assert "缺少期刊名和年份" in html
    assert "数字社会主义初探[J]" not in html and ". (n.d.)." not in html


def test_a_draft_cannot_be_cited_by_a_scholar(db, scholar_client):
    from django.urls import reverse

    draft = f.PaperFactory(title="草稿", status="draft")
    assert scholar_client.get(reverse("papers:paper-cite", args=[draft.pk, "ris"])).status_code == 404


def test_chapters_and_books():
    chapter = CitedWork(
        title="数字治理的逻辑",
        authors=[WANG],
        kind="chapter",
        venue="数字中国研究",
        publisher="社会科学文献出版社",
        place="北京",
        year=2022,
        pages="5-9",
    )
    assert (
        cite.gbt7714(chapter)
        == "王佃利. 数字治理的逻辑[M]//数字中国研究. 北京: 社会科学文献出版社, 2022: 5-9."
    )
    assert (
        cite.apa(chapter) == "王佃利. (2022). 数字治理的逻辑. In 数字中国研究 (pp. 5–9). 社会科学文献出版社."
    )
    book = replace(chapter, kind="book", venue="", pages="")
    assert cite.gbt7714(book) == "王佃利. 数字治理的逻辑[M]. 北京: 社会科学文献出版社, 2022."
    assert cite.apa(book) == "王佃利. (2022). 数字治理的逻辑. 社会科学文献出版社."
    assert cite.missing_elements(replace(chapter, venue="")) == ["book"]
