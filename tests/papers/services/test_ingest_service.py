"""paper_save_parsed: loaded, unchanged, revised; all-or-nothing."""

from __future__ import annotations

import hashlib

import pytest

from papers.ingest.types import AuthorInfo, ParsedPaper, PassageInfo, SectionInfo, SourceInfo
from papers.models import Paper, Passage, TextRevision
from papers.services import paper_save_parsed

pytestmark = pytest.mark.django_db


def _parsed(body: str, *, title="数字治理与共同富裕", doi="10.1234/abc", filename="a.txt") -> ParsedPaper:
    return ParsedPaper(
        source=SourceInfo(
            filename=filename, sha256=hashlib.sha256(body.encode()).hexdigest(), format="txt", size=9
        ),
        title=title,
        doi=doi,
        authors=[AuthorInfo(name="王佃利", affiliation="山东大学")],
        sections=[SectionInfo(number="一、", heading="引言")],
        passages=[
            PassageInfo(kind="heading", text="一、引言", section=0),
            PassageInfo(kind="paragraph", text=body, section=0),
        ],
    )


def test_new_paper_is_loaded_with_offsets_into_canonical_text():
    outcome = paper_save_parsed(parsed=_parsed("数字鸿沟是新的不平等。"))
    assert outcome.status == "loaded"
    revision = outcome.revision
    for p in Passage.objects.filter(revision=revision):
        assert revision.text[p.start : p.end] == p.text
    assert outcome.paper.authorships.get().author.name == "王佃利"


def test_same_file_again_is_unchanged():
    paper_save_parsed(parsed=_parsed("数字鸿沟是新的不平等。"))
    outcome = paper_save_parsed(parsed=_parsed("数字鸿沟是新的不平等。"))
    assert outcome.status == "unchanged"
    assert Paper.objects.count() == 1 and TextRevision.objects.count() == 1


def test_new_extraction_of_same_doi_is_a_revision_keeping_the_old_text():
    first = paper_save_parsed(parsed=_parsed("旧的抽取文本。"))
    second = paper_save_parsed(parsed=_parsed("新的抽取文本。", filename="b.txt"))
    assert second.status == "revised"
    assert second.paper.pk == first.paper.pk
    assert second.revision.number == 2
    old = TextRevision.objects.get(pk=first.revision.pk)
    assert not old.is_current and "旧的抽取文本" in old.text
    assert Passage.objects.filter(revision=old).count() == 2  # old passages are kept, not deleted
    assert (
        list(Passage.objects.current().filter(paper=first.paper).values_list("text", flat=True))[-1]
        == "新的抽取文本。"
    )


def test_same_title_and_first_author_without_doi_is_a_revision():
    paper_save_parsed(parsed=_parsed("甲。", doi=""))
    outcome = paper_save_parsed(parsed=_parsed("乙。", doi="", title="数字治理与共同富裕 "))
    assert outcome.status == "revised"


def test_failure_midway_writes_nothing(monkeypatch):
    from papers.services import ingest

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "_save_text", boom)
    with pytest.raises(RuntimeError):
        paper_save_parsed(parsed=_parsed("数字鸿沟。"))
    assert Paper.objects.count() == 0
    assert TextRevision.objects.count() == 0


def test_a_paper_without_an_english_title_is_not_a_revision_candidate_of_every_other():
    """Regression: an empty English title matched every paper without one, so each load read
    (and prefetched the authors of) most of the library. Now one lookup of the title key."""
    from papers.services.ingest import title_matches
    from papers.titles import normalise_title

    for i in range(3):
        paper_save_parsed(parsed=_parsed(f"正文{i}。", title=f"论文{i}", doi="", filename=f"{i}.txt"))
    assert Paper.objects.filter(title_en="").count() == 3
    assert list(title_matches(normalise_title("另一篇论文"))) == []
    assert [p.title for p in title_matches(normalise_title(" 论文１ "))] == ["论文1"]
    assert list(title_matches("")) == []


def test_the_title_key_follows_every_save_of_the_title():
    paper = paper_save_parsed(parsed=_parsed("正文。", title="数字鸿沟：再论", doi="")).paper
    assert paper.title_key == "数字鸿沟再论"
    paper.title = "Digital Divide"
    paper.save(update_fields=["title"])
    paper.refresh_from_db()
    assert paper.title_key == "digitaldivide"
    paper.title, paper.title_en = "", "Public Value"
    paper.save()
    assert Paper.objects.get(pk=paper.pk).title_key == "publicvalue"
