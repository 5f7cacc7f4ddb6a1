"""Reference lists of the three shared real PDFs, as read from the papers: how many entries, a few of
them whole, the last one not running into what follows, and the citations that point at them.

Parsed once per module with the layout model and OCR off (the list is found from the text, its
geometry and its labels; the model's labels only add to that).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from papers.ingest import ReadOptions, parse_file
from tests.papers.ingest.conftest import PDF_DIR

HANSPUB = "hanspub_mos_2026_151009_road_traffic_flow.pdf"
THESIS = "nju_thesis_2026_stock_demand_elasticity.pdf"
QUANTFIN = "quantfin_2023_fundamental_factor_synthesis.pdf"


@cache
def _paper(name: str):
    path = PDF_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} not found (../shared is absent)")
    return parse_file(path, options=ReadOptions(layout=False, ocr=False))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_hanspub_numbered_list_of_fourteen():
    refs = _paper(HANSPUB).references
    assert [r.marker for r in refs] == [str(n) for n in range(1, 15)]
    first = refs[0]
    assert first.authors == ["吴中", "熊天成", "杨海飞"]
    assert (first.title, first.type_code) == ("考虑换道过程影响的城市交通流动力学方程", "J")
    assert (first.container, first.year, first.pages) == ("华东交通大学学报", 2020, "68-74")
    assert refs[11].type_code == "EB" and refs[11].authors == ["五一数学建模竞赛组委会"]
    assert (refs[1].authors[0], refs[1].year) == ("Wang, J.", 2021)
    assert _squeeze(refs[13].raw).endswith("通信学报,2021,42(3):54-64.")


def test_hanspub_citations_point_at_their_entries():
    paper = _paper(HANSPUB)
    cited = {c.target for c in paper.citations if c.target_kind == "reference"}
    assert len(cited) >= 10
    assert not any(w.code == "no_references" for w in paper.warning_codes)


def test_thesis_alphabetical_author_year_list_of_thirty_three():
    refs = _paper(THESIS).references
    assert len(refs) == 33
    assert _squeeze(refs[0].raw) == _squeeze(
        "Basak S, Pavlova A. Asset prices and institutional investors[J]. American Economic Review, 2013, "
        "103(5): 1728-1758."
    )
    haddad = next(r for r in refs if r.raw.startswith("Haddad"))  # a four-line entry
    assert _squeeze(haddad.raw).endswith("PassiveInvesting(April7,2021),2021.")
    assert refs[30].authors == ["郦金梁", "廖理", "沈红波"]
    assert (refs[30].container, refs[30].year) == ("中国工业经济", 2010)
    assert _squeeze(refs[32].raw) == _squeeze(
        "赵自兵, 陈金明, 卫新江. 中国 A 股股票需求弹性——基于全流通 IPO 锁定期解除效应的实证分析[J]. "
        "金融研究, 2010 (4): 115-127."
    )
    assert all(r.year for r in refs)


def test_thesis_acknowledgements_are_not_a_reference():
    paper = _paper(THESIS)
    assert not any("致谢" in r.raw or "时光荏苒" in r.raw for r in paper.references)
    assert any(p.kind == "heading" and p.text.startswith("致谢") for p in paper.passages)


def test_thesis_author_year_citations_link_to_the_list():
    paper = _paper(THESIS)
    cited = {c.target for c in paper.citations if c.target_kind == "reference"}
    assert len(cited) >= 10


def test_quantfin_numbered_english_references():
    refs = _paper(QUANTFIN).references
    assert [r.marker for r in refs] == ["1", "2", "3", "4", "5"]
    assert [r.year for r in refs] == [1970, 2004, 2015, 2019, 2021]
    assert refs[1].authors == ["Olivier Ledoit", "Michael Wolf"]
    assert refs[1].title == "A well-conditioned estimator for large-dimensional covariance matrices"
    assert refs[1].container == "Journal of multivariate analysis"
    assert refs[3].authors == ["林晓明", "陈烨", "何康"]
    assert _squeeze(refs[4].raw).endswith("中信证券研究所,2021.")
