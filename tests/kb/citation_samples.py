"""Small text papers that cite each other, loaded through the real load path by the citation tests."""

CITED = """数字鸿沟的测度与治理

张明  李华

摘要：本文构建数字鸿沟的测度框架，讨论其治理路径。

关键词：数字鸿沟；测度；治理

一、引言

数字鸿沟是数字时代社会不平等的新形态。本文从接入、使用与收益三个层次测度数字鸿沟。

二、结论

数字鸿沟的弥合需要政府、市场与社会的协同。
"""

CITING = """共同富裕视域下的数字包容

王芳

摘要：本文讨论数字包容如何促进共同富裕。

关键词：数字包容；共同富裕

一、文献回顾

已有研究从接入与使用两个层次测度数字鸿沟，本文的发现与张明的结论一致[1]。然而也有学者认为数字鸿沟会自然消失[2]。本文采用熵值法测度数字包容水平[3]。

二、结论

数字包容是共同富裕的重要条件[2]。

参考文献

[1] 张明, 李华. 数字鸿沟的测度与治理[J]. 管理世界, 2021(3): 1-10.
[2] 陈刚. 数字鸿沟会自然消失吗[J]. 社会学研究, 2019(2): 5-20.
[3] 刘强. 熵值法在综合评价中的应用[J]. 统计研究, 2018(4): 30-40.
"""


def citation_world(paper):
    """A reference of ``paper`` linked to a cited work and a statement of one of its citations
    (for the URL permission matrix and the page query bounds)."""
    from kb.models import CitationStatement, CitedWork, ReferenceLink
    from papers.models import Citation, Reference

    revision = paper.revisions.get(is_current=True)
    work = CitedWork.objects.create(
        title="数字鸿沟会自然消失吗", first_author="陈刚", year=2019, raw="[1] 陈刚. …"
    )
    reference = Reference.objects.create(
        paper=paper,
        revision=revision,
        order=0,
        marker="[1]",
        raw=work.raw,
        title=work.title,
        authors=["陈刚"],
    )
    link = ReferenceLink.objects.create(reference=reference, citing_paper=paper, cited_work=work)
    citation = Citation.objects.filter(passage__paper=paper).first()
    statement = CitationStatement.objects.create(
        citation=citation, passage=citation.passage, citing_paper=paper, start=0, end=citation.end
    )
    return work, link, statement
