"""Citing one passage: the paper's reference at the passage's page (pure, no database)."""

from papers.cite import CitedWork, Person, apa, bibtex, csl_json, gbt7714, passage_work, ris

WORK = CitedWork(
    title="数字政府建设的公共价值",
    authors=[Person("王", "佃利"), Person("滕", "蕾")],
    venue="电子政务",
    year=2022,
    issue="3",
    pages="8-19",
)


def test_gbt7714_names_the_passage_page():
    assert (
        gbt7714(passage_work(WORK, "12")) == "王佃利, 滕蕾. 数字政府建设的公共价值[J]. 电子政务, 2022(3): 12."
    )


def test_apa_names_the_passage_page():
    assert apa(passage_work(WORK, "12")).endswith("电子政务, (3), 12.")


def test_ris_bibtex_and_csl_carry_the_page_alone():
    cited = passage_work(WORK, "12")
    record = ris(cited)
    assert "SP  - 12\r\n" in record and "EP  -" not in record
    assert "pages = {12}" in bibtex(cited, "k")
    assert csl_json(cited, "k")["page"] == "12"


def test_without_a_page_the_reference_is_the_papers():
    assert passage_work(WORK, "") == WORK
    assert gbt7714(passage_work(WORK, "")).endswith("2022(3): 8-19.")
